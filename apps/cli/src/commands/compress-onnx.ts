/**
 * `compress` of an `.onnx` file by graph surgery on the original model (backend-onnx's `factorizeOnnx`):
 * MatMul, Gemm and Conv weights replaced by their rank-r factors, everything else kept. Ranks come from
 * `--rank`, `--energy` or `--max-accuracy-drop` (analysis' `chooseRanks`, checked with the real accuracy of
 * the rewritten file in onnxruntime on a held-out half of the given data).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { chooseRanks, droppedEnergy, runnerAccuracy, weightsAtRank, type RankAssignment, type RankLayer } from '@rank-collapse/analysis';
import { createModelRunner, decodeOnnxWeightNodes, factorizeOnnx, loadOrt, type LayerFactors } from '@rank-collapse/backend-onnx';
import type { Dataset } from '@rank-collapse/datasets';
import { createMatrix, rankForEnergy, singularValues, truncatedSvd, type Matrix } from '@rank-collapse/metrics';
import { openWeightFile } from '@rank-collapse/model-files';
import { UsageError } from '../cli-error.js';

export type OnnxRankChoice = { rank: number } | { energyEpsilon: number } | { maxAccuracyDrop: number };

export interface OnnxCompressedLayer {
  layer: string;
  op: string;
  rows: number;
  cols: number;
  /** null: kept dense. */
  rank: number | null;
  weightsBefore: number;
  weightsAfter: number;
  /** Σ_{j≤r} σ_j² / ‖W‖_F² (1 when dense). */
  energyKept: number;
  /** ‖W − W_r‖_F / ‖W‖_F = τ_r/‖W‖_F (0 when dense). */
  relativeError: number;
  note: string | null;
}

export interface OnnxCompression {
  layers: OnnxCompressedLayer[];
  paramsBefore: number;
  paramsAfter: number;
  bytes: Uint8Array;
  /** On the held-out half used to choose (max-accuracy-drop only) and on all the data given. */
  checkAccuracyBefore: number | null;
  checkAccuracyAfter: number | null;
  accuracyBefore: number | null;
  accuracyAfter: number | null;
  evaluations: number;
}

const FACTORIZABLE = new Set(['MatMul', 'Gemm', 'Conv']);

/**
 * Compresses `file`.
 * @throws UsageError when --max-accuracy-drop has no data; ModelFileError from reading or running the file.
 */
export async function compressOnnx(file: string, choice: OnnxRankChoice, data: Dataset | null, options: { threads?: number; input?: string } = {}): Promise<OnnxCompression> {
  const bytes = new Uint8Array(await readFile(file));
  const nodes = new Map(decodeOnnxWeightNodes(bytes, file).map((n) => [n.label, n]));
  const layers: (RankLayer & { W: Matrix; op: string })[] = [];
  const kept: OnnxCompressedLayer[] = [];
  for await (const item of (await openWeightFile(file)).items()) {
    if (item.kind !== 'matrix') continue;
    const node = nodes.get(item.name);
    const W = createMatrix(item.rows, item.cols, item.data);
    if (!node || !FACTORIZABLE.has(node.op) || !(item.role === 'dense' || item.role === 'conv')) {
      kept.push({ layer: item.name, op: item.op ?? '?', rows: item.rows, cols: item.cols, rank: null, weightsBefore: item.rows * item.cols, weightsAfter: item.rows * item.cols, energyKept: 1, relativeError: 0, note: 'not a MatMul/Gemm/Conv weight read as one matrix: kept' });
      continue;
    }
    layers.push({ name: item.name, rows: item.rows, cols: item.cols, sigma: singularValues(W), W, op: node.op });
  }
  const ort = await loadOrt();
  const svds = new Map<string, ReturnType<typeof truncatedSvd>>();
  const factorsOf = (ranks: RankAssignment): LayerFactors[] =>
    layers.flatMap((l) => {
      const r = ranks.get(l.name) ?? null;
      if (r === null) return [];
      const key = `${l.name}@${r}`;
      let svd = svds.get(key);
      if (!svd) svds.set(key, (svd = truncatedSvd(l.W, r)));
      return [{ node: l.name, rank: r, left: svd.left.data, right: svd.right.data }];
    });
  const accuracyOf = async (model: Uint8Array, on: Dataset): Promise<number> => {
    const runner = await createModelRunner({ ort, model, file, intraOpThreads: options.threads ?? 2, tapWeightInputs: false });
    try {
      return await runnerAccuracy(runner, on, { input: options.input, model: file });
    } finally {
      await runner.dispose();
    }
  };
  let ranks: Map<string, number | null>;
  let checkBefore: number | null = null;
  let checkAfter: number | null = null;
  let evaluations = 0;
  if ('maxAccuracyDrop' in choice) {
    if (!data) throw new UsageError('compress --max-accuracy-drop needs --data to measure the accuracy it keeps');
    const check = halfOf(data);
    const chosen = await chooseRanks({
      layers,
      maxAccuracyDrop: choice.maxAccuracyDrop,
      evaluate: async (r) => accuracyOf(factorizeOnnx(bytes, factorsOf(r), file).bytes, check),
    });
    ranks = new Map(chosen.ranks);
    checkBefore = chosen.baseline;
    checkAfter = chosen.accuracy;
    evaluations = chosen.evaluations;
    // The budget holds on all the data given, not only on the half the steps were checked on: undo the last
    // accepted steps until it does.
    const before = await accuracyOf(bytes, data);
    const steps = [...chosen.history];
    while (steps.length > 0 && before - (await accuracyOf(factorizeOnnx(bytes, factorsOf(ranks), file).bytes, data)) > choice.maxAccuracyDrop) {
      const last = steps.pop()!;
      ranks.set(last.layer, last.from);
      evaluations++;
    }
  } else {
    ranks = new Map(
      layers.map((l) => {
        const r = 'rank' in choice ? Math.min(choice.rank, l.rows, l.cols) : Math.max(1, rankForEnergy(l.sigma, choice.energyEpsilon));
        return [l.name, weightsAtRank(l, r) < weightsAtRank(l, null) ? r : null];
      }),
    );
  }
  const result = factorizeOnnx(bytes, factorsOf(ranks), file);
  const keptReasons = new Map(result.kept.map((k) => [k.node, k.reason]));
  const table: OnnxCompressedLayer[] = [
    ...layers.map((l) => {
      const reason = keptReasons.get(l.name) ?? null;
      const r = reason ? null : (ranks.get(l.name) ?? null);
      return {
        layer: l.name,
        op: l.op,
        rows: l.rows,
        cols: l.cols,
        rank: r,
        weightsBefore: l.rows * l.cols,
        weightsAfter: weightsAtRank(l, r),
        energyKept: 1 - droppedEnergy(l.sigma, r),
        relativeError: Math.sqrt(droppedEnergy(l.sigma, r)),
        note: reason ?? (r === null ? ('maxAccuracyDrop' in choice ? 'kept dense: every lower rank tried cost more accuracy than the budget, or saves nothing' : 'kept dense: r·(m + n) ≥ m·n') : null),
      };
    }),
    ...kept,
  ];
  const accuracyBefore = data ? await accuracyOf(bytes, data) : null;
  const accuracyAfter = data ? await accuracyOf(result.bytes, data) : null;
  return { layers: table, paramsBefore: result.paramsBefore, paramsAfter: result.paramsAfter, bytes: result.bytes, checkAccuracyBefore: checkBefore, checkAccuracyAfter: checkAfter, accuracyBefore, accuracyAfter, evaluations };
}

/** Every second sample (a held-out half with the same class mix as the whole). */
function halfOf(data: Dataset): Dataset {
  const size = data.sampleShape.reduce((p, d) => p * d, 1);
  const n = Math.ceil(data.size / 2);
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x.set(data.x.subarray(2 * i * size, (2 * i + 1) * size), i * size);
    y[i] = data.y[2 * i];
  }
  return { ...data, name: `${data.name} (every second sample)`, x, y, size: n };
}

export const writeBytes = (path: string, bytes: Uint8Array): Promise<void> => writeFile(path, bytes);
