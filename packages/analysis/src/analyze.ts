/**
 * analyze(): the collapse analysis of one model on one backend. Streams the data through a probe graph twice
 * (pass 1: class sums, data gradients, accuracy; pass 2: deviations from the class means), then computes the
 * spectral metrics, the collapse metrics of every layer input h_{l−1} and backward signal δ_l, and the
 * certificate of every dense layer, in float64 on the host. One tidy row per layer.
 */
import { GraphError, float32, type Backend, type Feed, type Graph, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import {
  certificateTerms,
  createCollapseAccumulator,
  createMatrix,
  createSampleBoundAccumulator,
  nc3,
  singularValues,
  type CollapseAccumulator,
  type CollapseMetrics,
  type Matrix,
  type SampleBoundAccumulator,
  type SampleBoundSums,
} from '@rank-collapse/metrics';
import { findLayers, type LayerTap } from '@rank-collapse/models';
import type { Dataset } from '@rank-collapse/datasets';
import { COLLAPSE_FIELDS, ROW_CERTIFICATE_FIELDS, prefixed, type LayerRow } from './layer-row.js';
import { spectralRow } from './spectral-row.js';
import { buildProbeGraph, type ProbeLoss } from './probe-graph.js';
import { layerWeightMatrix, weightTensorAsMatrix } from './weight-matrix.js';

export interface AnalyzeOptions {
  /** The backend that runs the probe graphs. */
  readonly backend: Backend;
  /** Forward graph: one data input [N, …] → logits [N, K]. */
  readonly graph: Graph;
  /** Parameter values by name. */
  readonly params: ReadonlyMap<string, HostTensor>;
  /** Layers to analyze. Default: `findLayers(graph)` (every dense and conv layer). */
  readonly layers?: readonly LayerTap[];
  /** Samples to stream (normally the training set). Omit for a weights-only analysis (spectral metrics only). */
  readonly data?: Dataset;
  /** λ of the objective (λ/2)‖W‖², for the certificate. Default 0: certificate fields are null. */
  readonly weightDecay?: number;
  /** K. Default: `data.numClasses`, else the logits width. */
  readonly numClasses?: number;
  /** Samples per probe run. Default 1000. */
  readonly batchSize?: number;
  /** Name of the data input. Default: the graph's first input. */
  readonly input?: string;
  /** Name of the logits. Default: the graph's first output. */
  readonly logits?: string;
  /** Loss whose per-sample gradients are the backward signals. Default 'cross-entropy'. */
  readonly loss?: ProbeLoss;
  /** Numerical-rank tolerance (σ_j > tol·σ_1). Default 1e-3. */
  readonly rankTolerance?: number;
  /** Tolerance on σ_j/‖W‖_F of the normalized rank. Default 1e-3. */
  readonly normalizedRankTolerance?: number;
  /** Energy left out by the energy rank. Default 1e-2. */
  readonly energyEpsilon?: number;
  /** Include every layer's singular values in its row. Default false. */
  readonly singularValues?: boolean;
  /** Called after each batch. */
  readonly onProgress?: (progress: { pass: 1 | 2; done: number; total: number }) => void;
  readonly signal?: AbortSignal;
}

export interface AnalysisResult {
  readonly rows: LayerRow[];
  /** N streamed (0 in weights-only mode). */
  readonly sampleCount: number;
  /** Share of samples whose argmax logit is the label; null in weights-only mode. */
  readonly accuracy: number | null;
  /** Mean loss per sample; null in weights-only mode. */
  readonly loss: number | null;
  readonly seconds: number;
}

/**
 * Runs the collapse analysis.
 * @throws GraphError if the data does not fit the model input or a layer tap is missing; RunError from the backend.
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalysisResult> {
  const start = performance.now();
  const { graph, params, data } = options;
  const layers = options.layers ?? findLayers(graph);
  if (layers.length === 0) throw new GraphError(`analyze: graph "${graph.name}" has no dense or conv layer`);
  const weights = layers.map((tap) => layerWeightMatrix(tap, params));
  const sigmas = weights.map((W) => singularValues(W));
  const logitsName = options.logits ?? graph.outputs[0];
  const K = options.numClasses ?? data?.numClasses ?? Number(graph.values.get(logitsName)?.shape[1]);
  if (!Number.isInteger(K) || K < 1) throw new GraphError(`analyze: cannot tell the number of classes K of graph "${graph.name}"; pass numClasses`);

  const baseRow = (l: number): LayerRow =>
    spectralRow({ name: layers[l].name, index: l, kind: layers[l].kind, rows: weights[l].rows, cols: weights[l].cols }, sigmas[l], K, options);

  if (!data) {
    return { rows: layers.map((_, l) => baseRow(l)), sampleCount: 0, accuracy: null, loss: null, seconds: (performance.now() - start) / 1000 };
  }

  const stream = await streamProbes(options, layers, K);
  const lambda = options.weightDecay ?? 0;
  const rows = layers.map((tap, l) => {
    const row: LayerRow = baseRow(l);
    const h = stream.inputs[l];
    const d = stream.deltas[l];
    for (const f of COLLAPSE_FIELDS) {
      row[prefixed('input', f)] = h[f];
      row[prefixed('delta', f)] = d[f];
    }
    const G = stream.weightGradients[l];
    if (tap.kind === 'dense' && G && lambda > 0) {
      const S = createMatrix(K, weights[l].rows);
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < weights[l].rows; j++) S.data[c * S.cols + j] = d.classMeans.data[c * S.cols + j] * d.classCounts[c];
      }
      const cert = certificateTerms({
        weight: weights[l],
        gradient: G,
        classDeltaSums: S,
        classInputMeans: h.classMeans,
        classCounts: h.classCounts,
        sampleCount: stream.sampleCount,
        weightDecay: lambda,
        maxDeltaNorm: d.maxNorm,
        inputTcv: h.tcv,
        maxInputNorm: h.maxNorm,
        deltaTcv: d.tcv,
        K,
        singularValues: sigmas[l],
        ...(stream.sampleSums[l] && { sampleSums: stream.sampleSums[l] }),
      });
      for (const f of ROW_CERTIFICATE_FIELDS) row[f] = cert[f];
    }
    if (l === layers.length - 1 && tap.kind === 'dense' && weights[l].rows === K) {
      row.nc3 = nc3(weights[l], h.centeredClassMeans);
      row.nc4 = h.nc4Disagreement;
    }
    return row;
  });
  return {
    rows,
    sampleCount: stream.sampleCount,
    accuracy: stream.correct / stream.sampleCount,
    loss: stream.lossSum / stream.sampleCount,
    seconds: (performance.now() - start) / 1000,
  };
}

interface StreamResult {
  sampleCount: number;
  correct: number;
  lossSum: number;
  inputs: CollapseMetrics[];
  deltas: CollapseMetrics[];
  /** G = (1/N) Σ_i δ_i h_iᵀ per dense layer (m×n), null for conv layers. */
  weightGradients: (Matrix | null)[];
  /** Per-sample bound sums of each dense layer (with a weight gradient), null otherwise. */
  sampleSums: (SampleBoundSums | null)[];
}

async function streamProbes(options: AnalyzeOptions, layers: readonly LayerTap[], K: number): Promise<StreamResult> {
  const { backend, graph, params } = options;
  const data = options.data!;
  const inputName = options.input ?? graph.inputs[0]?.name;
  const inputInfo = graph.inputs.find((i) => i.name === inputName);
  if (!inputInfo) throw new GraphError(`analyze: graph "${graph.name}" has no input "${inputName}"`);
  const sampleShape = inputInfo.shape.slice(1);
  if (sampleShape.some((d) => typeof d !== 'number')) throw new GraphError(`analyze: input "${inputName}" [${inputInfo.shape}] must be static past the batch dim`);
  const sampleSize = (sampleShape as number[]).reduce((p, d) => p * d, 1);
  const dataSampleSize = data.sampleShape.reduce((p, d) => p * d, 1);
  if (sampleSize !== dataSampleSize) {
    throw new GraphError(`analyze: dataset "${data.name}" has samples of shape [${data.sampleShape}] but model input "${inputName}" expects [${sampleShape}]`);
  }
  const logitsWidth = graph.values.get(options.logits ?? graph.outputs[0])?.shape[1];
  if (logitsWidth !== K) throw new GraphError(`analyze: logits of graph "${graph.name}" have width ${logitsWidth}, the data has K = ${K} classes`);

  const probe = buildProbeGraph(graph, layers, { logits: options.logits, loss: options.loss, weightGradients: (options.weightDecay ?? 0) > 0 });
  const executable = await backend.compile(probe.graph);
  const resident = new Map<string, ResidentTensor>();
  for (const p of graph.params) {
    const value = params.get(p.name);
    if (!value) throw new GraphError(`analyze: no value for parameter "${p.name}" of graph "${graph.name}"`);
    resident.set(p.name, backend.upload(value));
  }
  const batchSize = options.batchSize ?? 1000;
  const N = data.size;
  const total = Math.ceil(N / batchSize);
  const dims = (name: string): number => {
    const shape = probe.graph.values.get(name)!.shape.slice(1);
    return (shape as number[]).reduce((p, d) => p * d, 1);
  };
  const inputAccs: CollapseAccumulator[] = probe.taps.map((t) => createCollapseAccumulator({ dim: dims(t.input), numClasses: K }));
  const deltaAccs: CollapseAccumulator[] = probe.taps.map((t) => createCollapseAccumulator({ dim: dims(t.delta), numClasses: K }));
  const gradientSums = probe.taps.map((t) => (t.weightGradient ? new Float64Array(dims(t.weightGradient) * Number(probe.graph.values.get(t.weightGradient)!.shape[0])) : null));
  // The per-sample certificate sums (science.md §2) pair δ_i with h_i of the same sample: dense layers only.
  const sampleAccs: (SampleBoundAccumulator | null)[] = probe.taps.map((t, l) =>
    t.weightGradient && layers[l].kind === 'dense' ? createSampleBoundAccumulator({ deltaDim: dims(t.delta), inputDim: dims(t.input), numClasses: K }) : null,
  );
  let correct = 0;
  let lossSum = 0;

  const runBatch = async (start: number, fetch: string[]): Promise<{ out: Record<string, Feed>; x: Float32Array; labels: Int32Array; rows: number }> => {
    const rows = Math.min(batchSize, N - start);
    const x = data.x.subarray(start * sampleSize, (start + rows) * sampleSize);
    const labels = data.y.subarray(start, start + rows);
    const oneHot = new Float32Array(rows * K);
    for (let i = 0; i < rows; i++) oneHot[i * K + labels[i]] = 1;
    const feeds: Record<string, Feed> = {
      [inputName]: float32([rows, ...(sampleShape as number[])], x),
      [probe.labels]: float32([rows, K], oneHot),
    };
    for (const [name, t] of resident) feeds[name] = t;
    const out = await executable.run(feeds, { fetch });
    return { out, x, labels, rows };
  };
  const tapData = (out: Record<string, Feed>, x: Float32Array, name: string): Float32Array | Float64Array =>
    name === inputName ? x : ((out[name] as HostTensor).data as Float32Array);

  try {
    const pass1Fetch = [probe.logits, probe.loss, ...probe.taps.flatMap((t) => [t.input, t.delta, ...(t.weightGradient ? [t.weightGradient] : [])])].filter((n) => n !== inputName);
    for (let b = 0, start = 0; start < N; b++, start += batchSize) {
      options.signal?.throwIfAborted();
      const { out, x, labels, rows } = await runBatch(start, [...new Set(pass1Fetch)]);
      const logits = (out[probe.logits] as HostTensor).data;
      for (let i = 0; i < rows; i++) if (argmax(logits, i * K, K) === labels[i]) correct++;
      lossSum += Number((out[probe.loss] as HostTensor).data[0]);
      probe.taps.forEach((t, l) => {
        inputAccs[l].addFirstPass(tapData(out, x, t.input), labels);
        deltaAccs[l].addFirstPass(tapData(out, x, t.delta), labels);
        sampleAccs[l]?.addFirstPass(tapData(out, x, t.delta), tapData(out, x, t.input), labels);
        const sum = gradientSums[l];
        if (sum && t.weightGradient) {
          const g = (out[t.weightGradient] as HostTensor).data as Float32Array;
          for (let j = 0; j < g.length; j++) sum[j] += g[j];
        }
      });
      options.onProgress?.({ pass: 1, done: b + 1, total });
    }
    for (const acc of [...inputAccs, ...deltaAccs]) acc.startSecondPass();
    for (const acc of sampleAccs) acc?.startSecondPass();
    const last = probe.taps.length - 1;
    const pass2Fetch = [probe.logits, ...probe.taps.flatMap((t) => [t.input, t.delta])].filter((n) => n !== inputName);
    for (let b = 0, start = 0; start < N; b++, start += batchSize) {
      options.signal?.throwIfAborted();
      const { out, x, labels, rows } = await runBatch(start, [...new Set(pass2Fetch)]);
      const logits = (out[probe.logits] as HostTensor).data;
      const predictions = new Int32Array(rows);
      for (let i = 0; i < rows; i++) predictions[i] = argmax(logits, i * K, K);
      probe.taps.forEach((t, l) => {
        inputAccs[l].addSecondPass(tapData(out, x, t.input), labels, l === last ? predictions : undefined);
        deltaAccs[l].addSecondPass(tapData(out, x, t.delta), labels);
        sampleAccs[l]?.addSecondPass(tapData(out, x, t.delta), tapData(out, x, t.input), labels);
      });
      options.onProgress?.({ pass: 2, done: b + 1, total });
    }
  } finally {
    for (const t of resident.values()) backend.dispose(t);
    executable.dispose();
  }
  const weightGradients = probe.taps.map((t, l) => {
    const sum = gradientSums[l];
    if (!sum || !t.weightGradient) return null;
    for (let j = 0; j < sum.length; j++) sum[j] /= N;
    const shape = probe.graph.values.get(t.weightGradient)!.shape as number[];
    return weightTensorAsMatrix(layers[l], sum, shape);
  });
  return {
    sampleCount: N,
    correct,
    lossSum,
    inputs: inputAccs.map((a) => a.result()),
    deltas: deltaAccs.map((a) => a.result()),
    weightGradients,
    sampleSums: sampleAccs.map((a) => a?.result() ?? null),
  };
}

function argmax(values: ArrayLike<number | bigint>, offset: number, count: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k < count; k++) {
    const v = Number(values[offset + k]);
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}
