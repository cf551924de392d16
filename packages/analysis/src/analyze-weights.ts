/**
 * analyzeWeights(): the weights-only analysis of any model file — the spectrum of every weight matrix a
 * weight reader yields, one tidy row per matrix, with no forward graph and no backend. Reads one matrix at a
 * time, so memory stays near the largest matrix.
 */
import { GraphError } from '@rank-collapse/backend';
import { createMatrix, singularValues } from '@rank-collapse/metrics';
import type { SkippedTensor, WeightItem } from '@rank-collapse/model-files';
import type { LayerRow } from './layer-row.js';
import { spectralRow, type SpectralRowOptions } from './spectral-row.js';

/** What {@link analyzeWeights} reads: a WeightFile, or anything with the same items and head width. */
export interface WeightSource {
  items(): AsyncIterable<WeightItem> | Iterable<WeightItem>;
  /** Output width of the classifier head, null when unknown. */
  readonly outputWidth: number | null;
}

export interface AnalyzeWeightsOptions extends SpectralRowOptions {
  /** K. Default: the source's `outputWidth`; when both are missing, K and the tails τ_K are null. */
  readonly numClasses?: number;
  /** Called before each matrix is analyzed (`index` counts matrices from 0). */
  readonly onMatrix?: (info: { readonly name: string; readonly index: number; readonly rows: number; readonly cols: number }) => void;
  readonly signal?: AbortSignal;
}

/** Where a row's matrix came from in the file. */
export interface RowSource {
  readonly tensor: string;
  readonly op: string | null;
  readonly shape: readonly number[];
  readonly note: string | null;
}

export interface WeightsAnalysis {
  /** One row per weight matrix, in file order (collapse and certificate fields null). */
  readonly rows: LayerRow[];
  /** `sources[i]` is where `rows[i]` came from. */
  readonly sources: RowSource[];
  /** Every tensor that was not analyzed, with the reason. */
  readonly skipped: SkippedTensor[];
  /** K used for the tails, null when unknown. */
  readonly K: number | null;
  /** Where K came from. */
  readonly classesFrom: 'option' | 'model' | 'unknown';
  readonly seconds: number;
}

/**
 * Analyzes every weight matrix of `source`.
 * @throws GraphError when the source yields no weight matrix (naming how many tensors were skipped and the
 * first reasons), or when numClasses is not a positive integer; ModelFileError from the reader.
 */
export async function analyzeWeights(source: WeightSource, options: AnalyzeWeightsOptions = {}): Promise<WeightsAnalysis> {
  const start = performance.now();
  if (options.numClasses !== undefined && !(Number.isInteger(options.numClasses) && options.numClasses > 0)) {
    throw new GraphError(`analyzeWeights: numClasses must be a positive integer, got ${options.numClasses}`);
  }
  const K = options.numClasses ?? source.outputWidth ?? null;
  const classesFrom = options.numClasses !== undefined ? 'option' : source.outputWidth !== null ? 'model' : 'unknown';
  const rows: LayerRow[] = [];
  const sources: RowSource[] = [];
  const skipped: SkippedTensor[] = [];
  for await (const item of source.items()) {
    options.signal?.throwIfAborted();
    if (item.kind === 'skipped') {
      skipped.push({ name: item.name, shape: item.shape, reason: item.reason });
      continue;
    }
    const index = rows.length;
    options.onMatrix?.({ name: item.name, index, rows: item.rows, cols: item.cols });
    const sigma = singularValues(createMatrix(item.rows, item.cols, item.data));
    rows.push(spectralRow({ name: item.name, index, kind: item.role, rows: item.rows, cols: item.cols }, sigma, K, options));
    sources.push({ tensor: item.tensor, op: item.op, shape: item.shape, note: item.note });
  }
  if (rows.length === 0) {
    const reasons = [...new Set(skipped.map((s) => s.reason))].slice(0, 3);
    throw new GraphError(
      `analyzeWeights: no weight matrix found (${skipped.length} tensor${skipped.length === 1 ? '' : 's'} skipped${reasons.length ? `: ${reasons.join('; ')}` : ''})`,
    );
  }
  return { rows, sources, skipped, K, classesFrom, seconds: (performance.now() - start) / 1000 };
}
