/**
 * A layer row as a sweep keeps it: the analysis row of one layer at one checkpoint, plus the numbers of the
 * whole analysis repeated on every row (so each row stands alone in a CSV export).
 */
import type { LayerRow } from './layer-row.js';

/** Fields a trial adds to every {@link LayerRow} of one analysis, in export order. */
export const ANALYSIS_RECORD_FIELDS = ['analysisAccuracy', 'analysisLoss', 'analysisSamples', 'weightDecay'] as const;

/** The analysis-wide numbers of {@link ANALYSIS_RECORD_FIELDS}. */
export type AnalysisRecordFields = {
  /** Accuracy in [0, 1] on the data the analysis streamed; null for a weights-only analysis. */
  analysisAccuracy?: number | null;
  /** Mean loss (nats) on that data; null for a weights-only analysis. */
  analysisLoss?: number | null;
  /** Samples the analysis streamed (N). */
  analysisSamples?: number;
  /** λ of the trial: the weight decay the certificate terms were computed with. */
  weightDecay?: number;
};

/** `numericalRank@<tol>` = #{σ_j > tol·σ_1}, one per extra rank tolerance of a sweep's analysis. */
export type ExtraRankFields = { [field: `numericalRank@${string}`]: number };

/** The name of the extra numerical-rank field of `tolerance` (`numericalRank@0.01`). */
export const extraRankField = (tolerance: number): `numericalRank@${string}` => `numericalRank@${tolerance}`;

/**
 * One layer at one checkpoint, as a trial records it (`singularValues`, when present, are kept apart by the
 * store as float64). Trial functions may add further fields; the store keeps them as given.
 */
export type LayerRecord = LayerRow & AnalysisRecordFields & ExtraRankFields;

/** A {@link LayerRecord} read back from a store: with its checkpoint and without singular values (the store keeps those apart). */
export type StoredLayerRecord = Omit<LayerRecord, 'singularValues'> & {
  /** Checkpoint: epochs completed when the row was computed (0 = the initialization). */
  epoch: number;
};
