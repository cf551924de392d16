/** The part of a LayerRow that needs only the weight matrix: its spectrum, with every data-dependent field null. */
import { spectralMetrics, SPECTRAL_METRIC_FIELDS } from '@rank-collapse/metrics';
import { COLLAPSE_FIELDS, ROW_CERTIFICATE_FIELDS, prefixed, type LayerKind, type LayerRow } from './layer-row.js';

/** Options shared by the analyses for the spectral fields. */
export interface SpectralRowOptions {
  /** Numerical-rank tolerance (σ_j > tol·σ_1). Default 1e-3. */
  readonly rankTolerance?: number;
  /** Tolerance on σ_j/‖W‖_F of the normalized rank. Default 1e-3. */
  readonly normalizedRankTolerance?: number;
  /** Energy left out by the energy rank. Default 1e-2. */
  readonly energyEpsilon?: number;
  /** Include the singular values in the row. Default false. */
  readonly singularValues?: boolean;
}

/**
 * A row of spectral metrics of W (rows×cols with singular values `sigma`, descending). K null (unknown number
 * of classes) leaves `K`, `tailK` and `relativeTailK` null; collapse, certificate, NC3 and NC4 fields are null.
 */
export function spectralRow(
  layer: { name: string; index: number; kind: LayerKind; rows: number; cols: number },
  sigma: Float64Array,
  K: number | null,
  options: SpectralRowOptions,
): LayerRow {
  const spectral = spectralMetrics(sigma, {
    K: K ?? 0,
    rankTolerance: options.rankTolerance,
    normalizedRankTolerance: options.normalizedRankTolerance,
    energyEpsilon: options.energyEpsilon,
  });
  const row: Record<string, unknown> = { layer: layer.name, index: layer.index, kind: layer.kind, rows: layer.rows, cols: layer.cols, K };
  for (const f of SPECTRAL_METRIC_FIELDS) row[f] = spectral[f];
  if (K === null) {
    row.tailK = null;
    row.relativeTailK = null;
  }
  for (const f of COLLAPSE_FIELDS) {
    row[prefixed('input', f)] = null;
    row[prefixed('delta', f)] = null;
  }
  for (const f of ROW_CERTIFICATE_FIELDS) row[f] = null;
  row.nc3 = null;
  row.nc4 = null;
  if (options.singularValues) row.singularValues = Array.from(sigma);
  return row as LayerRow;
}
