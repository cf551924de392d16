import { LAYER_ROW_FIELDS, type AnalysisResult, type LayerKind, type LayerRow } from '@rank-collapse/analysis';
import type { ClassesJson, WeightFileJson } from './weights-json.js';

/**
 * One layer in `analyze --json` output: `layer` (name), `kind`, `shape` ([m, n] of W as analyzed; a conv
 * kernel is read as C_out × C_in·k_h·k_w), `metrics` (every other LayerRow field by its documented name:
 * spectral metrics, `input*`/`delta*` collapse metrics, certificate terms, `nc3`, `nc4`; null where not
 * computed) and `singularValues` (descending) when asked for.
 */
export interface LayerJson {
  layer: string;
  index: number;
  /** What W does: dense, conv, conv-transpose, recurrent-input, recurrent-hidden, embedding, einsum. */
  kind: LayerKind;
  shape: [number, number];
  metrics: Record<string, number | null>;
  singularValues?: number[];
}

/**
 * The whole `analyze --json` document of one model file. Format 2 (format 1 had no `analysis`, `classes`,
 * `skipped` or per-layer `source`, and always named a backend): `analysis` says which analysis ran —
 * `full` (data streamed through the model on `backend`: accuracy, collapse of every layer input, backward
 * signals, certificate) or `weights-only` (the weights read from the file, no backend: `backend` is null).
 */
export interface AnalysisJson {
  /** Format version of this document. */
  format: 'rank-collapse-analysis/2';
  model: string;
  analysis: 'full' | 'weights-only';
  /** Why this analysis and not a fuller one (e.g. no --data given), null when it is what was asked for. */
  reason: string | null;
  backend: { name: string; device: string } | null;
  /** The file's format and producer as read. */
  file: { format: string; producer: string | null } | null;
  /** The data streamed, or null for a weights-only analysis. */
  data: { name: string; samples: number; classes: number } | null;
  classes: ClassesJson;
  weightDecay: number;
  /** Share of samples classified correctly and their mean loss; null for weights-only. */
  accuracy: number | null;
  loss: number | null;
  seconds: number;
  layers: LayerJson[];
  /** Tensors of the file that were not analyzed (weights-only), with the reason. */
  skipped: WeightFileJson['skipped'];
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

/** Builds the `analyze --json` document of a full analysis. */
export function analysisJson(
  result: AnalysisResult,
  info: { model: string; backend: { name: string; device: string }; data: AnalysisJson['data']; weightDecay: number },
): AnalysisJson {
  const K = result.rows[0]?.K ?? null;
  return {
    format: 'rank-collapse-analysis/2',
    model: info.model,
    analysis: 'full',
    reason: null,
    backend: info.backend,
    file: null,
    data: info.data,
    classes: { K, from: info.data ? 'data' : 'model' },
    weightDecay: info.weightDecay,
    accuracy: result.accuracy,
    loss: result.loss,
    seconds: result.seconds,
    layers: result.rows.map(layerJson),
    skipped: [],
  };
}

/** Builds the `analyze --json` document of a weights-only analysis. */
export function weightsAnalysisJson(model: string, weights: WeightFileJson, classes: ClassesJson, seconds: number, reason: string | null): AnalysisJson {
  return {
    format: 'rank-collapse-analysis/2',
    model,
    analysis: 'weights-only',
    reason,
    backend: null,
    file: { format: weights.format, producer: weights.producer },
    data: null,
    classes,
    weightDecay: 0,
    accuracy: null,
    loss: null,
    seconds,
    layers: weights.layers,
    skipped: weights.skipped,
  };
}
