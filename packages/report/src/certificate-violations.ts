import type { ReportData } from './report-data.js';

/** A layer row whose certificate slack τ_K/(‖E‖+‖R‖) exceeds 1: the bound failed, which the math forbids. */
export interface CertificateViolation {
  trial: string;
  label: string;
  layer: string;
  epoch: number;
  slack: number;
}

/**
 * Every row of every checkpoint (not only the latest) with slack > 1. A non-empty result means a bug in the
 * analysis or its inputs, since τ_K ≤ ‖E‖ + ‖R‖ is an identity-based inequality.
 */
export function certificateViolations(data: ReportData): CertificateViolation[] {
  const violations: CertificateViolation[] = [];
  for (const trial of data.trials) {
    for (const row of trial.layers) {
      if (typeof row.slack === 'number' && row.slack > 1) {
        violations.push({ trial: trial.key, label: trial.label, layer: row.layer, epoch: row.epoch, slack: row.slack });
      }
    }
  }
  return violations;
}
