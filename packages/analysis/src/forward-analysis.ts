/**
 * analyzeForward(): the forward-only analysis (level 2) of any model a runner can execute as it is. The data
 * is streamed twice through the original graph with the input of every weight-bearing node and the logits
 * fetched: accuracy, the loss on the logits, and every collapse metric of each layer's input, fed to the
 * same float64 accumulators `analyze` uses. No backward pass runs, so δ and the certificate are null.
 */
import { GraphError } from '@rank-collapse/backend';
import { createCollapseAccumulator, createMatrix, nc3, singularValues, type CollapseAccumulator, type CollapseMetrics, type Matrix } from '@rank-collapse/metrics';
import type { SkippedTensor } from '@rank-collapse/model-files';
import type { Dataset } from '@rank-collapse/datasets';
import type { WeightSource, RowSource } from './analyze-weights.js';
import type { ForwardLayout, ForwardRunner, ForwardWeightNode } from './forward-runner.js';
import { COLLAPSE_FIELDS, prefixed, type LayerRow } from './layer-row.js';
import { bindModelInput } from './model-input.js';
import { spectralRow, type SpectralRowOptions } from './spectral-row.js';
import { tapFeatures, type TokenPooling } from './tap-features.js';

export interface AnalyzeForwardOptions extends SpectralRowOptions {
  /** Runs the model (e.g. backend-onnx's `createModelRunner`). */
  readonly runner: ForwardRunner;
  /** The weight matrices of the same file (model-files' `openWeightFile`). */
  readonly weights: WeightSource;
  readonly data: Dataset;
  /** The model's name in messages. Default 'model'. */
  readonly model?: string;
  /** The data input when the model has several. */
  readonly input?: string;
  /** K. Default `data.numClasses`. */
  readonly numClasses?: number;
  /** Samples per run. Default 500. */
  readonly batchSize?: number;
  /** How per-token features of inputs with a sequence axis become per-sample features. Default 'mean'. */
  readonly tokenPooling?: TokenPooling;
  readonly onProgress?: (progress: { pass: 1 | 2; done: number; total: number }) => void;
  readonly signal?: AbortSignal;
}

/** Where a row's features came from. */
export interface ForwardRowSource extends RowSource {
  /** The value fetched as the layer's input, null when none could be read. */
  readonly inputValue: string | null;
  /** Tokens per sample pooled (1: none), null without features. */
  readonly tokens: number | null;
  /** Why the input metrics are null, or how they were read. */
  readonly inputNote: string | null;
}

export interface ForwardAnalysis {
  /** One row per weight matrix, in file order; δ and certificate fields null. */
  readonly rows: LayerRow[];
  readonly sources: ForwardRowSource[];
  readonly skipped: SkippedTensor[];
  readonly sampleCount: number;
  readonly accuracy: number;
  /** Mean cross-entropy of the logits. */
  readonly loss: number;
  readonly K: number;
  readonly input: string;
  readonly logits: ForwardRunner['logits'];
  readonly tokenPooling: TokenPooling;
  readonly seconds: number;
}

interface Tap {
  readonly value: string;
  readonly layout: ForwardLayout;
  acc: CollapseAccumulator | null;
  tokens: number;
  metrics: CollapseMetrics | null;
}

/**
 * Runs the forward-only analysis.
 * @throws GraphError when the data cannot feed the model (see `bindModelInput`), the logits are not
 * [N, K], or a layer input has no batch axis; errors of the runner and the weight reader.
 */
export async function analyzeForward(options: AnalyzeForwardOptions): Promise<ForwardAnalysis> {
  const start = performance.now();
  const { runner, data } = options;
  const model = options.model ?? 'model';
  const K = options.numClasses ?? data.numClasses;
  const pooling = options.tokenPooling ?? 'mean';
  const bound = bindModelInput(model, runner.inputs, data.sampleShape, options.input);
  const byLength = [...runner.weightNodes].sort((a, b) => b.label.length - a.label.length);
  const nodeOf = (name: string): ForwardWeightNode | undefined =>
    byLength.find((n) => name === n.label || (name.startsWith(n.label) && '[.#'.includes(name[n.label.length])));

  const rowsInfo: { row: LayerRow; source: RowSource; tap: Tap | null; note: string | null; node: ForwardWeightNode | undefined; weight: Matrix | null }[] = [];
  const skipped: SkippedTensor[] = [];
  const taps = new Map<string, Tap>();
  const tapFor = (value: string, layout: ForwardLayout): Tap => {
    const key = `${value}\u0000${layout}`;
    let tap = taps.get(key);
    if (!tap) taps.set(key, (tap = { value, layout, acc: null, tokens: 1, metrics: null }));
    return tap;
  };
  const classifierNode = [...runner.weightNodes].reverse().find((n) => n.op === 'Gemm' || n.op === 'MatMul' || n.op === 'FusedMatMul');
  for await (const item of options.weights.items()) {
    options.signal?.throwIfAborted();
    if (item.kind === 'skipped') {
      skipped.push({ name: item.name, shape: item.shape, reason: item.reason });
      continue;
    }
    const W = createMatrix(item.rows, item.cols, item.data);
    const row = spectralRow({ name: item.name, index: rowsInfo.length, kind: item.role, rows: item.rows, cols: item.cols }, singularValues(W), K, options);
    const node = nodeOf(item.name);
    let tap: Tap | null = null;
    let note: string | null = null;
    if (!node) note = 'no node of the graph uses this matrix as a weight the runner can tap';
    else if (item.role === 'recurrent-hidden') {
      if (node.hiddenStates && node.hiddenLayout) {
        tap = tapFor(node.hiddenStates, node.hiddenLayout);
        note = 'hidden states h_1…h_T of the sequence (R multiplies h_{t−1}: the same states one step earlier, h_0 excluded)';
      } else note = 'the recurrent node does not output its hidden-state sequence';
    } else if (node.layout === 'none') note = node.note;
    else tap = tapFor(node.activation, node.layout);
    const isClassifier = node !== undefined && node === classifierNode && item.rows === K && item.role === 'dense';
    rowsInfo.push({ row, source: { tensor: item.tensor, op: item.op, shape: item.shape, note: item.note }, tap, note, node, weight: isClassifier ? W : null });
  }
  if (rowsInfo.length === 0) throw new GraphError(`${model}: no weight matrix found (${skipped.length} tensors skipped)`);

  const batchSize = options.batchSize ?? 500;
  const N = data.size;
  const sampleSize = data.sampleShape.reduce((p, d) => p * d, 1);
  const total = Math.ceil(N / batchSize);
  const fetch = [...new Set([runner.logits.name, ...[...taps.values()].map((t) => t.value)])];
  const classifierTap = rowsInfo.find((r) => r.weight)?.tap ?? null;
  let correct = 0;
  let lossSum = 0;
  for (const pass of [1, 2] as const) {
    for (let b = 0, first = 0; first < N; b++, first += batchSize) {
      options.signal?.throwIfAborted();
      const n = Math.min(batchSize, N - first);
      const x = data.x.subarray(first * sampleSize, (first + n) * sampleSize);
      const labels = data.y.subarray(first, first + n);
      const out = await runner.run({ [bound.name]: { dims: [n, ...bound.sampleShape], data: x } }, fetch);
      const logits = out[runner.logits.name];
      if (logits.dims.length !== 2 || logits.dims[0] !== n || logits.dims[1] !== K) {
        throw new GraphError(`${model}: logits "${runner.logits.name}" have shape [${logits.dims.join(', ')}] for a batch of ${n}; expected [${n}, ${K}] (K = ${K} classes of ${data.name})`);
      }
      const predictions = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const { argmax, logSumExp } = rowStats(logits.data, i * K, K);
        predictions[i] = argmax;
        if (pass === 1) {
          if (argmax === labels[i]) correct++;
          lossSum += logSumExp - logits.data[i * K + labels[i]];
        }
      }
      for (const tap of taps.values()) {
        const f = tapFeatures(out[tap.value], n, tap.layout, pooling, `${model}: layer input "${tap.value}"`);
        tap.tokens = f.tokens;
        const perRow = f.rows / n;
        const rowLabels = perRow === 1 ? labels : repeat(labels, perRow);
        if (pass === 1) {
          tap.acc ??= createCollapseAccumulator({ dim: f.dim, numClasses: K });
          tap.acc.addFirstPass(f.data, rowLabels);
        } else {
          const p = tap === classifierTap ? (perRow === 1 ? predictions : repeat(predictions, perRow)) : undefined;
          tap.acc!.addSecondPass(f.data, rowLabels, p);
        }
      }
      options.onProgress?.({ pass, done: b + 1, total });
    }
    if (pass === 1) for (const tap of taps.values()) tap.acc!.startSecondPass();
  }
  for (const tap of taps.values()) tap.metrics = tap.acc!.result();

  const rows = rowsInfo.map(({ row, tap, weight }) => {
    const m = tap?.metrics;
    if (m) for (const f of COLLAPSE_FIELDS) row[prefixed('input', f)] = m[f];
    if (m && weight && weight.cols === m.classMeans.cols) {
      row.nc3 = nc3(weight, m.centeredClassMeans);
      row.nc4 = m.nc4Disagreement;
    }
    return row;
  });
  const sources = rowsInfo.map(({ source, tap, note }) => ({
    ...source,
    inputValue: tap?.value ?? null,
    tokens: tap ? tap.tokens : null,
    inputNote: tap && tap.tokens > 1 ? [note, `${tap.tokens} tokens per sample, pooled: ${pooling}`].filter(Boolean).join('; ') : note,
  }));
  return {
    rows,
    sources,
    skipped,
    sampleCount: N,
    accuracy: correct / N,
    loss: lossSum / N,
    K,
    input: bound.name,
    logits: runner.logits,
    tokenPooling: pooling,
    seconds: (performance.now() - start) / 1000,
  };
}

function rowStats(z: Float32Array, offset: number, K: number): { argmax: number; logSumExp: number } {
  let argmax = 0;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    if (z[offset + k] > max) {
      max = z[offset + k];
      argmax = k;
    }
  }
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(z[offset + k] - max);
  return { argmax, logSumExp: max + Math.log(sum) };
}

function repeat(values: Int32Array, times: number): Int32Array {
  const out = new Int32Array(values.length * times);
  for (let i = 0; i < values.length; i++) out.fill(values[i], i * times, (i + 1) * times);
  return out;
}
