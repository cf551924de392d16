/** What a run reports at each analysis point: the page draws these and exposes them on `window.playground`. */
import type { LayerRow } from '@rank-collapse/analysis';

/** One layer at one step: its spectrum, ranks, the collapse of its input, and (dense, λ > 0) its certificate. */
export interface LayerSnapshot {
  readonly layer: string;
  readonly rows: number;
  readonly cols: number;
  /** σ_1 ≥ σ_2 ≥ … of W (float64, from @rank-collapse/metrics). */
  readonly singularValues: readonly number[];
  readonly frobeniusNorm: number;
  readonly tailK: number;
  /** τ_K/‖W‖_F. */
  readonly relativeTailK: number;
  /** #{σ_j > 1e-3·σ_1}. */
  readonly numericalRank: number;
  readonly stableRank: number;
  /** Scale-free TCV of the layer input h_{l−1}: Σ_c Σ_{i∈c} ‖h_i − μ_c‖² / Σ_i ‖h_i‖². */
  readonly inputScaleFreeTcv: number | null;
  /** NC1 of the layer input. */
  readonly inputNc1: number | null;
  /** Certificate chain τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖ (null at λ = 0). */
  readonly offSpanW: number | null;
  readonly offSpanE: number | null;
  readonly offSpanR: number | null;
  readonly normE: number | null;
  readonly normR: number | null;
  readonly boundER: number | null;
  readonly slack: number | null;
}

export interface Snapshot {
  /** SGD steps done. */
  readonly step: number;
  /** Mean training loss of the steps since the previous snapshot (null at step 0). */
  readonly trainLoss: number | null;
  /** Accuracy on the whole training set with the current params (from the analysis). */
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly layers: readonly LayerSnapshot[];
  /** Seconds spent in SGD steps so far (analysis excluded). */
  readonly trainSeconds: number;
  /** Steps per second since the previous snapshot (null at step 0). */
  readonly stepsPerSecond: number | null;
  /** Seconds the analysis of this snapshot took. */
  readonly analysisSeconds: number;
}

/** The snapshot fields of an analysis row. */
export function layerSnapshot(row: LayerRow): LayerSnapshot {
  return {
    layer: row.layer,
    rows: row.rows,
    cols: row.cols,
    singularValues: row.singularValues ?? [],
    frobeniusNorm: row.frobeniusNorm,
    tailK: row.tailK ?? NaN,
    relativeTailK: row.relativeTailK ?? NaN,
    numericalRank: row.numericalRank,
    stableRank: row.stableRank,
    inputScaleFreeTcv: row.inputScaleFreeTcv,
    inputNc1: row.inputNc1,
    offSpanW: row.offSpanW,
    offSpanE: row.offSpanE,
    offSpanR: row.offSpanR,
    normE: row.normE,
    normR: row.normR,
    boundER: row.boundER,
    slack: row.slack,
  };
}
