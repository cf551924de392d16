/**
 * Low-rank compression (science.md §5): each chosen layer's W is replaced by its best rank-r approximation in
 * factored form, as two layers (dense: h ↦ V_rᵀh ↦ U_rΣ_r(·) + b; conv: an r-filter conv with the original
 * window, then a 1×1 conv), so the compressed graph has r·(m + n) weights instead of m·n and can be exported.
 */
import { GraphBuilder, GraphError, float32, type Graph, type HostTensor, type Node, type Value } from '@rank-collapse/backend';
import { rankForEnergy, singularValues, truncatedSvd, type Matrix } from '@rank-collapse/metrics';
import { findLayers, type LayerTap } from '@rank-collapse/models';
import { layerWeightMatrix } from './weight-matrix.js';

/** How to choose the rank of a layer: a fixed r, or the smallest r keeping (1 − energyEpsilon) of ‖W‖_F². */
export type RankChoice = { readonly rank: number } | { readonly energyEpsilon: number };

export interface CompressOptions {
  readonly graph: Graph;
  readonly params: ReadonlyMap<string, HostTensor>;
  /** Layers to consider. Default: findLayers(graph). */
  readonly layers?: readonly LayerTap[];
  /** Rank choice for every layer, or per layer name. Layers absent from a per-layer map are kept. */
  readonly choice: RankChoice | Readonly<Record<string, RankChoice>>;
  /** Keep a layer dense when factoring would not save parameters (r·(m+n) ≥ m·n). Default true. */
  readonly onlyWhenSmaller?: boolean;
}

export interface CompressedLayer {
  readonly layer: string;
  readonly kind: 'dense' | 'conv';
  /** Rank kept, or null if the layer stayed dense. */
  readonly rank: number | null;
  readonly rows: number;
  readonly cols: number;
  /** Weights before (m·n) and after (r·(m+n), or m·n if kept). */
  readonly weightsBefore: number;
  readonly weightsAfter: number;
  /** ‖W − W_r‖_F / ‖W‖_F (0 if kept). */
  readonly relativeError: number;
  /** Why a layer was kept, if it was. */
  readonly note?: string;
}

/** The factorized model {@link compress} builds (the accuracy it keeps is a `CompressionResult` of `@rank-collapse/rows`). */
export interface CompressedModel {
  readonly graph: Graph;
  readonly params: Map<string, HostTensor>;
  readonly layers: CompressedLayer[];
  /** Total parameter count (all params) before and after. */
  readonly paramsBefore: number;
  readonly paramsAfter: number;
}

/** @deprecated the old name of {@link CompressedModel}; `CompressionResult` is the row contract's compression record. */
export type CompressionResult = CompressedModel;

/**
 * Builds the factorized model.
 * @throws GraphError naming the layer when its weight is not consumed as a supported dense/conv op.
 */
export function compress(options: CompressOptions): CompressedModel {
  const { graph, params } = options;
  const layers = options.layers ?? findLayers(graph);
  const perLayer = 'rank' in options.choice || 'energyEpsilon' in options.choice ? null : (options.choice as Record<string, RankChoice>);
  const replacements = new Map<string, { tap: LayerTap; left: Matrix; right: Matrix; rank: number }>();
  const report: CompressedLayer[] = [];
  for (const tap of layers) {
    const choice = perLayer ? perLayer[tap.name] : (options.choice as RankChoice);
    const W = layerWeightMatrix(tap, params);
    const { rows: m, cols: n } = W;
    const kept = (note: string): void => {
      report.push({ layer: tap.name, kind: tap.kind, rank: null, rows: m, cols: n, weightsBefore: m * n, weightsAfter: m * n, relativeError: 0, note });
    };
    if (!choice) {
      kept('not selected');
      continue;
    }
    const sigma = singularValues(W);
    const r = 'rank' in choice ? Math.min(choice.rank, Math.min(m, n)) : rankForEnergy(sigma, choice.energyEpsilon);
    if ((options.onlyWhenSmaller ?? true) && r * (m + n) >= m * n) {
      kept(`rank ${r} would not save weights (${r}·(${m}+${n}) ≥ ${m}·${n})`);
      continue;
    }
    const node = consumer(graph, tap);
    if (tap.kind === 'conv' && ((node.attrs as { group?: number }).group ?? 1) !== 1) {
      kept('grouped convolutions are not factorized');
      continue;
    }
    const { left, right } = truncatedSvd(W, r);
    let tail = 0;
    let total = 0;
    for (let j = 0; j < sigma.length; j++) {
      total += sigma[j] * sigma[j];
      if (j >= r) tail += sigma[j] * sigma[j];
    }
    replacements.set(node.name, { tap, left, right, rank: r });
    report.push({ layer: tap.name, kind: tap.kind, rank: r, rows: m, cols: n, weightsBefore: m * n, weightsAfter: r * (m + n), relativeError: total > 0 ? Math.sqrt(tail / total) : 0 });
  }

  const b = new GraphBuilder(`${graph.name}/low-rank`);
  const newParams = new Map<string, HostTensor>();
  for (const input of graph.inputs) b.input(input.name, input.dtype, input.shape);
  const replacedWeights = new Set([...replacements.values()].map((r) => r.tap.weight));
  for (const p of graph.params) {
    if (replacedWeights.has(p.name)) continue;
    b.param(p.name, p.shape as number[], p.role);
    newParams.set(p.name, params.get(p.name)!);
  }
  for (const node of graph.nodes) {
    const replacement = replacements.get(node.name);
    const inputs = node.inputs.map((name) => (name === '' || name === replacement?.tap.weight ? undefined : b.value(name)));
    if (!replacement) {
      b.node(node.op, inputs, node.attrs as never, { name: node.name, outputs: [...node.outputs] });
      continue;
    }
    const { tap, left, right, rank } = replacement;
    const weightSlot = node.inputs.indexOf(tap.weight);
    const h = inputs[0]!;
    const rightName = `${tap.weight}.low-rank.right`;
    const leftName = `${tap.weight}.low-rank.left`;
    let t: Value;
    if (tap.kind === 'dense') {
      // t = h·V_r (N×r), then the original op with W replaced by U_rΣ_r in the original layout.
      const rightParam = b.param(rightName, [rank, right.cols], 'weight');
      newParams.set(rightName, float32([rank, right.cols], Float32Array.from(right.data)));
      t = b.matmul(h, rightParam, { transB: true }, { name: `${node.name}.low-rank` });
      const outIn = tap.weightLayout === 'out-in';
      const leftShape = outIn ? [left.rows, rank] : [rank, left.rows];
      const leftParam = b.param(leftName, leftShape, 'weight');
      newParams.set(leftName, float32(leftShape, outIn ? Float32Array.from(left.data) : transposed(left)));
      const replaced = [...inputs];
      replaced[0] = t;
      replaced[weightSlot] = leftParam;
      b.node(node.op, replaced, node.attrs as never, { name: node.name, outputs: [...node.outputs] });
    } else {
      const kernel = params.get(tap.weight)!.shape;
      const rightShape = [rank, kernel[1], kernel[2], kernel[3]];
      const rightParam = b.param(rightName, rightShape, 'weight');
      newParams.set(rightName, float32(rightShape, Float32Array.from(right.data)));
      const attrs = node.attrs as { strides?: number[]; pads?: [number, number, number, number]; dilations?: number[] };
      t = b.conv(h, rightParam, undefined, { strides: attrs.strides, pads: attrs.pads, dilations: attrs.dilations }, { name: `${node.name}.low-rank` });
      const leftShape = [left.rows, rank, 1, 1];
      const leftParam = b.param(leftName, leftShape, 'weight');
      newParams.set(leftName, float32(leftShape, Float32Array.from(left.data)));
      b.node('Conv', [t, leftParam, inputs[2]], {}, { name: node.name, outputs: [...node.outputs] });
    }
  }
  for (const o of graph.outputs) b.output(b.value(o));
  const count = (ps: Iterable<HostTensor>): number => [...ps].reduce((s, t) => s + t.data.length, 0);
  return {
    graph: b.build(),
    params: newParams,
    layers: report,
    paramsBefore: count(graph.params.map((p) => params.get(p.name)!)),
    paramsAfter: count(newParams.values()),
  };
}

/** The node that applies the layer's weight, checked to be a form the factorization supports. */
function consumer(graph: Graph, tap: LayerTap): Node {
  const node = graph.nodes.find((n) => n.inputs.includes(tap.weight));
  const fail = (why: string): never => {
    throw new GraphError(`compress: layer "${tap.name}": ${why}`);
  };
  if (!node) return fail(`no node uses weight "${tap.weight}"`);
  if (tap.kind === 'conv') {
    if (node.op !== 'Conv' || node.inputs[1] !== tap.weight) fail(`weight "${tap.weight}" feeds ${node.op} node "${node.name}", expected the kernel of a Conv`);
    return node;
  }
  if (node.op === 'Gemm') {
    const attrs = node.attrs as { transA?: boolean; transB?: boolean };
    if (attrs.transA || node.inputs[1] !== tap.weight) fail(`Gemm node "${node.name}" must read the input untransposed and the weight as B`);
    return node;
  }
  if (node.op === 'MatMul') {
    const attrs = node.attrs as { transA?: boolean };
    if (attrs.transA || node.inputs[1] !== tap.weight) fail(`MatMul node "${node.name}" must read the input untransposed and the weight as B`);
    return node;
  }
  return fail(`weight "${tap.weight}" feeds ${node.op} node "${node.name}", expected Gemm or MatMul`);
}

function transposed(M: Matrix): Float32Array {
  const out = new Float32Array(M.rows * M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) out[j * M.rows + i] = M.data[i * M.cols + j];
  return out;
}
