import { LAYER_ROW_FIELDS, type AnalysisResult, type ForwardAnalysis, type LayerKind, type LayerRow } from '@rank-collapse/analysis';
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
  /** Forward-only analyses: the stored tensor and the value fetched as the layer's input (null when none could be read), tokens pooled per sample, and why the input fields are null or how they were read. */
  source?: { tensor: string; op: string | null; shape: readonly number[]; note: string | null; inputValue?: string | null; tokens?: number | null; inputNote?: string | null };
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
  analysis: 'full' | 'forward-only' | 'weights-only';
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
  /**
   * Where the loss was computed (full and forward-only): the value read as logits and the Softmax/LogSoftmax
   * the model applies after it (null when its output is the logits). Accuracy is the same on either.
   */
  logits?: { name: string; normalizedBy: 'Softmax' | 'LogSoftmax' | null };
  /** Forward-only: how per-token features of inputs with a sequence axis were pooled per sample (mean, cls, none). */
  tokenPooling?: 'mean' | 'cls' | 'none';
}

const STRUCTURAL = new Set(['layer', 'index', 'kind', 'rows', 'cols']);

/** Converts one LayerRow to its JSON form. */
export function layerJson(row: LayerRow): LayerJson {
  const metrics: Record<string, number | null> = {};
  for (const field of LAYER_ROW_FIELDS) {
    if (STRUCTURAL.has(field)) continue;
    const value: unknown = row[field];
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
  info: { model: string; backend: { name: string; device: string }; data: AnalysisJson['data']; weightDecay: number; reason?: string | null; logits?: AnalysisJson['logits'] },
): AnalysisJson {
  const K = result.rows[0]?.K ?? null;
  return {
    format: 'rank-collapse-analysis/2',
    model: info.model,
    analysis: 'full',
    reason: info.reason ?? null,
    ...(info.logits && { logits: info.logits }),
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

/** Builds the `analyze --json` document of a forward-only analysis (δ and certificate fields null). */
export function forwardAnalysisJson(
  result: ForwardAnalysis,
  info: { model: string; backend: { name: string; device: string }; file: AnalysisJson['file']; data: NonNullable<AnalysisJson['data']>; reason: string },
): AnalysisJson {
  return {
    format: 'rank-collapse-analysis/2',
    model: info.model,
    analysis: 'forward-only',
    reason: info.reason,
    backend: info.backend,
    file: info.file,
    data: info.data,
    classes: { K: result.K, from: 'data' },
    weightDecay: 0,
    accuracy: result.accuracy,
    loss: result.loss,
    seconds: result.seconds,
    layers: result.rows.map((row, i) => ({ ...layerJson(row), source: result.sources[i] })),
    skipped: result.skipped,
    logits: { name: result.logits.name, normalizedBy: result.logits.normalizedBy },
    tokenPooling: result.tokenPooling,
  };
}
