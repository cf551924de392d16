/**
 * Finds the weight-bearing nodes of an ONNX graph (MatMul, Gemm, Conv, ConvTranspose, LSTM, GRU, RNN, Einsum,
 * Gather, QLinear*) and the value that carries each one's activation operand, so that a forward pass can
 * fetch the input every weight matrix sees. Nothing is translated; the original graph is only read.
 */
import { ModelFileError } from '@rank-collapse/backend';
import { decodeModel, type GraphProto, type NodeProto } from '@rank-collapse/model-files/onnx';

/** How the activation operand holds its samples and features (what the analysis must do to read it). */
export type ActivationLayout =
  /** [N, …, D]: features along the last axis, the batch at axis 0 (or axis 1 for a time-major [T, N, D]). */
  | 'features-last'
  /** [N, C, spatial…]: the whole feature map of a sample is its feature vector. */
  | 'channels-first'
  /** [T, N, D] (ONNX recurrent ops with layout 0) or [T, directions, N, H] for their hidden states. */
  | 'sequence-first'
  /** [N, T, D] (recurrent ops with layout 1) or [N, T, directions, H] for their hidden states. */
  | 'batch-first-sequence'
  /** No per-sample feature vector can be read (indices of a lookup, quantized integers, a weight on the left). */
  | 'none';

/** One node that uses a stored weight. */
export interface WeightNode {
  /** The name weight readers give the node: its own name, or `<op>_<index>` when it has none. */
  readonly label: string;
  readonly op: string;
  /** Position in the graph's node list. */
  readonly index: number;
  /** Value feeding the activation operand; '' when the layout is 'none'. */
  readonly activation: string;
  readonly layout: ActivationLayout;
  /** Recurrent ops: the hidden-state sequence Y (what the hidden-to-hidden weights R multiply, one step later); else null. */
  readonly hiddenStates: string | null;
  readonly hiddenLayout: ActivationLayout | null;
  /** Output of the node (its first output). */
  readonly output: string;
  /** Why the activation cannot be read, or how it is read, for people; null when plain. */
  readonly note: string | null;
}

/** The label weight readers use for a node. */
export const nodeLabel = (node: NodeProto, index: number): string => (node.name ? node.name : `${node.opType ?? 'node'}_${index}`);

const attributeInt = (node: NodeProto, name: string, fallback: number): number => {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.i !== undefined && a.i !== null ? Number(a.i) : fallback;
};

/**
 * Values known before the model runs: initializers, Constant outputs, and outputs of nodes all of whose
 * inputs are known (Transpose(W), DequantizeLinear(q, scale), Cast(W), … of stored weights).
 */
export function constantValues(graph: GraphProto): Set<string> {
  const known = new Set<string>((graph.initializer ?? []).map((t) => t.name ?? ''));
  // An initializer that is also a graph input (IR < 4 exports list weights as inputs) stays a weight.
  for (const node of graph.node ?? []) {
    const ins = (node.input ?? []).filter((n) => n !== '');
    const op = node.opType ?? '';
    const computable = op === 'Constant' || (ins.length > 0 && ins.every((n) => known.has(n)) && !op.startsWith('Random'));
    if (computable) for (const out of node.output ?? []) if (out) known.add(out);
  }
  return known;
}

/** Every weight-bearing node of `graph`, in node order. */
export function findWeightNodes(graph: GraphProto): WeightNode[] {
  const constants = constantValues(graph);
  const isConst = (name: string | undefined): boolean => name !== undefined && name !== '' && constants.has(name);
  const found: WeightNode[] = [];
  (graph.node ?? []).forEach((node, index) => {
    const op = node.opType ?? '';
    const ins = node.input ?? [];
    const base = { label: nodeLabel(node, index), op, index, output: node.output?.[0] ?? '', hiddenStates: null, hiddenLayout: null };
    const none = (note: string): WeightNode => ({ ...base, activation: '', layout: 'none', note });
    switch (op) {
      case 'MatMul':
      case 'FusedMatMul':
      case 'Gemm': {
        const [a, b] = [isConst(ins[0]), isConst(ins[1])];
        if (a === b) return; // both data (attention scores) or both constant (folded)
        if (a) return void found.push(none('the weight is the left operand (z = W·h with h in columns): no per-sample rows to read'));
        if (op === 'Gemm' && attributeInt(node, 'transA', 0) === 1) return void found.push(none('Gemm with transA = 1 holds samples in columns'));
        found.push({ ...base, activation: ins[0], layout: 'features-last', note: null });
        return;
      }
      case 'Conv':
      case 'FusedConv':
      case 'ConvTranspose':
        if (!isConst(ins[1]) || isConst(ins[0])) return;
        found.push({ ...base, activation: ins[0], layout: 'channels-first', note: null });
        return;
      case 'LSTM':
      case 'GRU':
      case 'RNN': {
        if (!isConst(ins[1])) return;
        const layout: ActivationLayout = attributeInt(node, 'layout', 0) === 1 ? 'batch-first-sequence' : 'sequence-first';
        const y = node.output?.[0] ?? '';
        found.push({ ...base, activation: ins[0], layout, hiddenStates: y || null, hiddenLayout: y ? layout : null, note: null });
        return;
      }
      case 'Einsum':
        if (ins.some((n) => isConst(n))) found.push(none('Einsum operands have no fixed sample axis to read features from'));
        return;
      case 'Gather':
        if (isConst(ins[0]) && !isConst(ins[1])) found.push(none('a lookup table: its input is indices, not features'));
        return;
      case 'QLinearMatMul':
      case 'QLinearConv':
      case 'MatMulInteger':
      case 'ConvInteger':
        if (ins.some((n) => isConst(n))) found.push(none(`${op} reads quantized integer activations`));
        return;
      default:
        return;
    }
  });
  return found;
}

/**
 * The weight-bearing nodes of an ONNX file's bytes.
 * @throws ModelFileError naming `file` when the bytes are not an ONNX model with a graph.
 */
export function decodeOnnxWeightNodes(bytes: Uint8Array, file: string): WeightNode[] {
  let graph: GraphProto | undefined;
  try {
    graph = decodeModel(bytes).graph;
  } catch (error) {
    throw new ModelFileError(file, `is not a valid ONNX model (${(error as Error).message})`, { cause: error });
  }
  if (!graph) throw new ModelFileError(file, 'has no graph');
  return findWeightNodes(graph);
}
