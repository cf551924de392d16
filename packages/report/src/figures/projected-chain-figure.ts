import type { ReportData } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart } from './lambda-chart.js';
import { layerPanel, layerPoints } from './layer-points.js';
import { lambdaScale } from './lambda-scale.js';

/** The links of the projected chain τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖, in order. */
export const CHAIN_LINKS = ['τ_K', '‖W P⊥‖_F', '‖E P⊥‖_F + ‖R P⊥‖_F', '‖E‖_F + ‖R‖_F'] as const;

const sum = (a: number | null | undefined, b: number | null | undefined): number | null =>
  typeof a === 'number' && typeof b === 'number' ? a + b : null;

/** Every link of the certificate chain per layer against λ > 0 (the decomposition is undefined at λ = 0); null without certificate rows. */
export function projectedChainFigure(data: ReportData): Figure | null {
  const scale = lambdaScale(data.trials.map((trial) => trial.config.weightDecay).filter((lambda) => lambda > 0));
  const points = layerPoints(data, scale, (row, trial) => {
    if (!(trial.config.weightDecay > 0) || row.boundER === null || row.boundER === undefined) return [];
    const panel = layerPanel(data, trial, row);
    const values = [row.tailK, row.offSpanW, sum(row.offSpanE, row.offSpanR), row.boundER ?? sum(row.normE, row.normR)];
    return CHAIN_LINKS.map((series, i) => ({ series, value: values[i], panel }));
  });
  if (points.length === 0) return null;
  return {
    id: 'projected-chain',
    title: 'The certificate chain per layer against λ',
    description:
      'Each link bounds the one below it: τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖, with P⊥ the projection off the span of the class means of the layer input. ' +
      'Dense layers only, λ > 0 only (the decomposition divides by λ).',
    spec: lambdaChart({
      title: 'Projected chain vs λ',
      points,
      scale,
      yTitle: 'Frobenius norm',
      yLog: true,
      seriesTitle: 'link',
      seriesOrder: [...CHAIN_LINKS],
    }),
  };
}
