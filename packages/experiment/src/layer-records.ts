import type { AnalysisResult } from '@rank-collapse/analysis';
import { extraRankField, type LayerRecord } from '@rank-collapse/rows';

/** What the store keeps of one analysis besides the per-layer metrics: it is repeated on every layer row. */
export interface AnalysisContext {
  /** λ of the trial (the certificate's weight decay). */
  weightDecay: number;
  /** Extra numerical-rank tolerances: each adds `numericalRank@<tol>` = #{σ_j > tol·σ_1}. */
  extraRankTolerances: readonly number[];
  /** Keep `singularValues` in the rows (the store moves them to its spectra table). */
  keepSingularValues: boolean;
}

/** Number of singular values above `tolerance`·σ_1 (σ descending). */
export function rankAbove(sigma: readonly number[], tolerance: number): number {
  if (sigma.length === 0 || sigma[0] === 0) return 0;
  const threshold = tolerance * sigma[0];
  let r = 0;
  while (r < sigma.length && sigma[r] > threshold) r++;
  return r;
}

/**
 * Turns an analysis result into store rows: every LayerRow field, the analysis-wide numbers
 * (`analysisAccuracy`, `analysisLoss`, `analysisSamples`, `weightDecay`), the extra ranks, and the singular
 * values when kept.
 */
export function layerRecords(result: AnalysisResult, context: AnalysisContext): LayerRecord[] {
  return result.rows.map((row) => {
    const { singularValues, ...fields } = row;
    const record: LayerRecord = {
      ...fields,
      analysisAccuracy: result.accuracy,
      analysisLoss: result.loss,
      analysisSamples: result.sampleCount,
      weightDecay: context.weightDecay,
    };
    for (const tolerance of context.extraRankTolerances) record[extraRankField(tolerance)] = rankAbove(singularValues ?? [], tolerance);
    if (context.keepSingularValues && singularValues) record.singularValues = singularValues;
    return record;
  });
}
