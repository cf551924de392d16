import { LAYER_ROW_FIELDS, type AnalysisResult, type LayerRow } from '@rank-collapse/analysis';

/**
 * One layer in `analyze --json` output: `layer` (name), `kind`, `shape` ([m, n] of W as analyzed; a conv
 * kernel is read as C_out × C_in·k_h·k_w), `metrics` (every other LayerRow field by its documented name:
 * spectral metrics, `input*`/`delta*` collapse metrics, certificate terms, `nc3`, `nc4`; null where not
 * computed) and `singularValues` (descending) when asked for.
 */
export interface LayerJson {
  layer: string;
  index: number;
  kind: 'dense' | 'conv';
  shape: [number, number];
  metrics: Record<string, number | null>;
  singularValues?: number[];
}

/** The whole `analyze --json` document. */
export interface AnalysisJson {
  /** Format version of this document. */
  format: 'rank-collapse-analysis/1';
  model: string;
  backend: { name: string; device: string };
  /** The data streamed, or null for a weights-only analysis. */
  data: { name: string; samples: number; classes: number } | null;
  weightDecay: number;
  /** Share of samples classified correctly and their mean loss; null for weights-only. */
  accuracy: number | null;
  loss: number | null;
  seconds: number;
  layers: LayerJson[];
}

const STRUCTURAL = new Set(['layer', 'index', 'kind', 'rows', 'cols']);

/** Converts one LayerRow to its JSON form. */
export function layerJson(row: LayerRow): LayerJson {
  const metrics: Record<string, number | null> = {};
  for (const field of LAYER_ROW_FIELDS) {
    if (STRUCTURAL.has(field)) continue;
    const value = (row as unknown as Record<string, unknown>)[field];
    metrics[field] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return {
    layer: row.layer,
    index: row.index,
    kind: row.kind,
    shape: [row.rows, row.cols],
    metrics,
    ...(row.singularValues && { singularValues: row.singularValues }),
  };
}

/** Builds the `analyze --json` document. */
export function analysisJson(
  result: AnalysisResult,
  info: { model: string; backend: { name: string; device: string }; data: AnalysisJson['data']; weightDecay: number },
): AnalysisJson {
  return {
    format: 'rank-collapse-analysis/1',
    ...info,
    accuracy: result.accuracy,
    loss: result.loss,
    seconds: result.seconds,
    layers: result.rows.map(layerJson),
  };
}
