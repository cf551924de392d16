/**
 * Low-rank compression of an ONNX file by graph surgery on the original model: each chosen weight W (m×n,
 * z = W·h) of a MatMul, Gemm or Conv is replaced by its rank-r factors W ≈ L·R (L = U_rΣ_r m×r, R = V_rᵀ r×n)
 * — two MatMuls/Gemms, or an r-filter conv with the original window followed by a 1×1 conv — and every other
 * node, initializer and attribute is kept as it is. No translation into the IR, so any model onnxruntime runs
 * can be compressed.
 */
import { ModelFileError } from '@rank-collapse/backend';
import { decodeModelFile } from '../model-runner/decode-model-file.js';
import { encodeModel, ONNX_DTYPE, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from '@rank-collapse/model-files/onnx';
import { nodeLabel } from '../model-runner/weight-nodes.js';

/** The factors of one node's weight. */
export interface LayerFactors {
  /** The node label (its name, or `<op>_<index>`), as weight readers name its matrix. */
  readonly node: string;
  readonly rank: number;
  /** L = U_rΣ_r, m×r row-major. */
  readonly left: Float32Array | Float64Array;
  /** R = V_rᵀ, r×n row-major (conv: n = C_in·k_h·k_w). */
  readonly right: Float32Array | Float64Array;
}

export interface FactorizeResult {
  readonly bytes: Uint8Array;
  /** Nodes replaced, with the ops written. */
  readonly replaced: readonly { node: string; op: string; rank: number }[];
  /** Nodes asked for but kept, with why. */
  readonly kept: readonly { node: string; reason: string }[];
  /** Elements of all float initializers before and after. */
  readonly paramsBefore: number;
  readonly paramsAfter: number;
}

const intAttr = (node: NodeProto, name: string, fallback: number): number => {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.i !== undefined && a.i !== null ? Number(a.i) : fallback;
};

const FLOAT_TYPES = new Set<number>([ONNX_DTYPE.FLOAT, ONNX_DTYPE.DOUBLE, ONNX_DTYPE.FLOAT16, ONNX_DTYPE.BFLOAT16]);

/** Elements of the float initializers of a model: its parameter count. */
export function countParameters(model: ModelProto): number {
  let total = 0;
  for (const t of model.graph?.initializer ?? []) if (FLOAT_TYPES.has(t.dataType ?? 0)) total += (t.dims ?? []).reduce((p, d) => p * Number(d), 1);
  return total;
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  const data = Float32Array.from(values);
  return { name, dims, dataType: ONNX_DTYPE.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Row-major transpose of a rows×cols array. */
function transposed(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/**
 * Writes the factorized model.
 * @throws ModelFileError naming `file` when the bytes are not an ONNX model, or a factor's size does not fit
 * its node's weight (m×r and r×n of W as the node reads it).
 */
export function factorizeOnnx(bytes: Uint8Array, factors: readonly LayerFactors[], file = 'model.onnx'): FactorizeResult {
  const model = decodeModelFile(bytes, file);
  const graph = model.graph;
  if (!graph) throw new ModelFileError(file, 'has no graph');
  const paramsBefore = countParameters(model);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const byLabel = new Map(factors.map((f) => [f.node, f]));
  const nodes: NodeProto[] = [];
  const newInitializers: TensorProto[] = [];
  const replaced: { node: string; op: string; rank: number }[] = [];
  const kept: { node: string; reason: string }[] = [];
  (graph.node ?? []).forEach((node, index) => {
    const label = nodeLabel(node, index);
    const f = byLabel.get(label);
    if (!f) return void nodes.push(node);
    byLabel.delete(label);
    const keep = (reason: string): void => {
      kept.push({ node: label, reason });
      nodes.push(node);
    };
    const op = node.opType ?? '';
    const weightName = node.input?.[1] ?? '';
    const weight = initializers.get(weightName);
    if (!weight) return keep('its weight is computed from a stored tensor (Transpose, DequantizeLinear, …), not stored as it is read');
    const dims = (weight.dims ?? []).map(Number);
    const r = f.rank;
    const out = node.output?.[0] ?? '';
    const mid = `${out}/low-rank`;
    const prefix = `${weightName}/rank${r}`;
    const check = (m: number, n: number): void => {
      if (f.left.length !== m * r || f.right.length !== r * n) {
        throw new ModelFileError(file, `factors of node "${label}" have ${f.left.length} and ${f.right.length} values; its ${m}×${n} weight at rank ${r} needs ${m * r} (L) and ${r * n} (R)`);
      }
    };
    if (op === 'MatMul') {
      if (dims.length !== 2) return keep(`a ${dims.length}-D MatMul weight (batched weights are kept)`);
      const [n, m] = dims; // stored K × N: z = Wᵀ-layout, W = storedᵀ (m×n)
      check(m, n);
      const first = floatTensor(`${prefix}/R`, [n, r], transposed(f.right, r, n));
      const second = floatTensor(`${prefix}/L`, [r, m], transposed(f.left, m, r));
      newInitializers.push(first, second);
      nodes.push({ ...node, name: `${node.name ?? label}/R`, input: [node.input![0], first.name!], output: [mid] });
      nodes.push({ ...node, name: `${node.name ?? label}/L`, input: [mid, second.name!], output: [out] });
      replaced.push({ node: label, op: 'MatMul → MatMul, MatMul', rank: r });
      return;
    }
    if (op === 'Gemm') {
      if (dims.length !== 2) return keep('a Gemm weight that is not 2-D');
      const transB = intAttr(node, 'transB', 0) === 1;
      const [m, n] = transB ? dims : [dims[1], dims[0]];
      check(m, n);
      const first = floatTensor(`${prefix}/R`, [r, n], f.right);
      const second = floatTensor(`${prefix}/L`, [m, r], f.left);
      newInitializers.push(first, second);
      const attrs = (node.attribute ?? []).filter((a) => a.name !== 'transB');
      const transBOne: AttributeProto = { name: 'transB', type: 2, i: 1 };
      const firstAttrs = attrs.filter((a) => a.name === 'transA');
      nodes.push({ ...node, name: `${node.name ?? label}/R`, input: [node.input![0], first.name!], output: [mid], attribute: [...firstAttrs, transBOne] });
      nodes.push({ ...node, name: `${node.name ?? label}/L`, input: [mid, second.name!, ...(node.input!.length > 2 ? [node.input![2]] : [])], output: [out], attribute: [...attrs.filter((a) => a.name !== 'transA'), transBOne] });
      replaced.push({ node: label, op: 'Gemm → Gemm, Gemm', rank: r });
      return;
    }
    if (op === 'Conv') {
      if (intAttr(node, 'group', 1) !== 1) return keep('a grouped convolution (each group would need its own factors)');
      if (dims.length < 3) return keep('a kernel of rank < 3');
      const [m, ...rest] = dims;
      const n = rest.reduce((p, d) => p * d, 1);
      check(m, n);
      const spatial = dims.length - 2;
      const first = floatTensor(`${prefix}/R`, [r, ...rest], f.right);
      const second = floatTensor(`${prefix}/L`, [m, r, ...new Array(spatial).fill(1)], f.left);
      newInitializers.push(first, second);
      const windowAttrs = (node.attribute ?? []).filter((a) => a.name !== 'kernel_shape');
      nodes.push({ ...node, name: `${node.name ?? label}/R`, input: [node.input![0], first.name!], output: [mid], attribute: windowAttrs });
      nodes.push({ ...node, name: `${node.name ?? label}/L`, input: [mid, second.name!, ...(node.input!.length > 2 ? [node.input![2]] : [])], output: [out], attribute: [] });
      replaced.push({ node: label, op: `Conv → Conv (${r} filters), Conv 1×1`, rank: r });
      return;
    }
    keep(`${op} weights are kept (MatMul, Gemm and Conv are factorized)`);
  });
  for (const label of byLabel.keys()) kept.push({ node: label, reason: 'no node of the graph has this name' });
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  for (const o of graph.output ?? []) used.add(o.name ?? '');
  const initializer = [...(graph.initializer ?? []).filter((t) => used.has(t.name ?? '') || !replacedWeight(t.name ?? '', replaced, graph.node ?? [])), ...newInitializers];
  const result: ModelProto = { ...model, graph: { ...graph, node: nodes, initializer, input: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '') || used.has(i.name ?? '')) } };
  return { bytes: encodeModel(result), replaced, kept, paramsBefore, paramsAfter: countParameters(result) };
}

/** Whether `name` was the weight of a replaced node (only those become unused and are dropped). */
function replacedWeight(name: string, replaced: readonly { node: string }[], nodes: readonly NodeProto[]): boolean {
  const labels = new Set(replaced.map((r) => r.node));
  return nodes.some((n, i) => labels.has(nodeLabel(n, i)) && n.input?.[1] === name);
}
