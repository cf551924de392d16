/**
 * Decides, before any weight is read, what every constant of an ONNX graph is: for each use by a node, the
 * steps between the stored tensor and that node (Transpose, Reshape, Cast, DequantizeLinear, …) and how the
 * node's operand reads as matrices z = W·h; or, for constants no node uses as a weight, why they are skipped.
 */
import { ModelFileError } from '@rank-collapse/backend';
import type { WeightRole } from '../weight-matrix.js';
import { einsumLayout } from './einsum-layout.js';
import { intAttribute, intsAttribute, nodeLabel, stringAttribute, type OnnxConstant, type OnnxGraphIndex } from './onnx-graph.js';
import type { OnnxNode } from './onnx-schema.js';
import { isFloatType, isIntegerType, ONNX_TYPE, onnxTypeName, readTensorValues, tensorShape } from './read-onnx-tensor.js';

/** A step between a stored tensor and the node that uses it. */
export type WeightStep =
  | { readonly kind: 'transpose'; readonly perm: readonly number[] }
  | { readonly kind: 'reshape'; readonly shape: readonly number[] }
  | { readonly kind: 'cast'; readonly to: number }
  | { readonly kind: 'dequantize'; readonly scale: OnnxConstant; readonly zero: OnnxConstant | null; readonly axis: number; readonly by: string };

/** One matrix of one use: the view of the operand (after the steps) and which axes are rows and columns. */
export interface MatrixSpec {
  readonly name: string;
  readonly role: WeightRole;
  readonly op: string;
  readonly view: readonly number[];
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly fixed: ReadonlyMap<number, number>;
  readonly note: string | null;
}

export interface UsePlan {
  readonly steps: readonly WeightStep[];
  /** The operand's shape after the steps. */
  readonly shape: readonly number[];
  readonly matrices: readonly MatrixSpec[];
}

export type ConstantPlan =
  | { readonly kind: 'matrices'; readonly constant: OnnxConstant; readonly shape: readonly number[]; readonly uses: readonly UsePlan[] }
  | { readonly kind: 'skipped'; readonly constant: OnnxConstant; readonly shape: readonly number[]; readonly reason: string };

export interface WeightPlan {
  readonly constants: readonly ConstantPlan[];
  /** Rows of the first matrix of each node that has one, by node index (for the classifier width). */
  readonly rowsByNode: ReadonlyMap<number, number>;
}

/** A node input reached from a constant, with the steps on the way. */
interface Use {
  readonly node: OnnxNode;
  readonly index: number;
  readonly input: number;
  readonly steps: WeightStep[];
  readonly shape: number[];
  readonly type: number;
  readonly via: string[];
}

type Classified = { readonly matrices: MatrixSpec[]; readonly steps: WeightStep[] } | { readonly skip: string };

/** Ops whose data input passes a weight on unchanged in value (only its layout or type changes). */
const PASS_THROUGH = new Set(['Identity', 'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Cast', 'DequantizeLinear']);
const MAX_STEPS = 16;

/** Input names of common ops, for the reasons of skipped tensors. */
const SLOTS: Record<string, string[]> = {
  Gemm: ['A', 'B', 'bias C'],
  MatMul: ['A', 'B'],
  Conv: ['X', 'W', 'bias B'],
  ConvTranspose: ['X', 'W', 'bias B'],
  BatchNormalization: ['X', 'scale', 'bias', 'running mean', 'running variance'],
  InstanceNormalization: ['input', 'scale', 'bias'],
  LayerNormalization: ['X', 'scale', 'bias'],
  LSTM: ['X', 'W', 'R', 'bias B', 'sequence_lens', 'initial_h', 'initial_c', 'peepholes P'],
  GRU: ['X', 'W', 'R', 'bias B', 'sequence_lens', 'initial_h'],
  RNN: ['X', 'W', 'R', 'bias B', 'sequence_lens', 'initial_h'],
  Gather: ['data', 'indices'],
  Reshape: ['data', 'shape'],
  PRelu: ['X', 'slope'],
  DequantizeLinear: ['x', 'scale', 'zero point'],
  QuantizeLinear: ['x', 'scale', 'zero point'],
  QLinearMatMul: ['a', 'a scale', 'a zero point', 'b', 'b scale', 'b zero point', 'y scale', 'y zero point'],
  QLinearConv: ['x', 'x scale', 'x zero point', 'w', 'w scale', 'w zero point', 'y scale', 'y zero point', 'bias B'],
};

/** ONNX gate order of the recurrent ops, as the W and R tensors stack them. */
const GATES: Record<string, (string | null)[]> = { LSTM: ['i', 'o', 'f', 'c'], GRU: ['z', 'r', 'h'], RNN: [null] };

/**
 * Plans every constant of the graph. Reads only small shape operands (Reshape shapes, Squeeze axes).
 * @throws ModelFileError naming `file`, the tensor and the node when a weight's shape cannot be what its
 * node needs (a convolution kernel of rank < 3, recurrent weights whose rows are not gates × hidden, an
 * Einsum equation that does not fit its inputs, invalid dims).
 */
export async function planOnnxWeights(file: string, modelDir: string, graph: OnnxGraphIndex): Promise<WeightPlan> {
  const plans: ConstantPlan[] = [];
  const rowsByNode = new Map<number, number>();
  for (const constant of graph.constants) {
    const what = `tensor "${constant.name}"`;
    const shape = tensorShape(file, constant.tensor, what);
    const uses: Use[] = [];
    await collectUses(file, modelDir, graph, constant.name, { steps: [], shape, type: constant.tensor.dataType ?? 0, via: [] }, uses, new Set());
    const planned: UsePlan[] = [];
    const reasons: string[] = [];
    for (const use of uses) {
      const result = classify(file, graph, constant, use);
      if ('skip' in result) reasons.push(result.skip);
      else if (result.matrices.length > 0) {
        planned.push({ steps: result.steps, shape: use.shape, matrices: result.matrices });
        if (!rowsByNode.has(use.index) && (result.matrices[0].role === 'dense' || result.matrices[0].role === 'einsum')) {
          rowsByNode.set(use.index, sizeOf(result.matrices[0].view, result.matrices[0].rows));
        }
      }
    }
    if (planned.length > 0) plans.push({ kind: 'matrices', constant, shape, uses: planned });
    else if (constant.from === 'initializer' || (isFloatType(constant.tensor.dataType ?? 0) && shape.length >= 2)) {
      // Constant nodes are mostly shape arithmetic; only those that look like weights are listed.
      const unique = [...new Set(reasons)];
      const reason = unique.length === 0 ? (graph.outputs.includes(constant.name) ? 'a graph output no node reads' : 'not used by any node') : unique.slice(0, 3).join('; ') + (unique.length > 3 ? `; and ${unique.length - 3} more uses` : '');
      plans.push({ kind: 'skipped', constant, shape, reason });
    }
  }
  return { constants: plans, rowsByNode };
}

const sizeOf = (shape: readonly number[], axes: readonly number[]): number => axes.reduce((p, a) => p * shape[a], 1);

/** Follows `value` through pass-through ops to the nodes that really use it. */
async function collectUses(
  file: string,
  modelDir: string,
  graph: OnnxGraphIndex,
  value: string,
  at: { steps: WeightStep[]; shape: number[]; type: number; via: string[] },
  out: Use[],
  seen: Set<string>,
): Promise<void> {
  if (seen.has(value)) return;
  seen.add(value);
  for (const { node, index, input } of graph.consumers.get(value) ?? []) {
    const op = node.opType ?? '';
    if (input === 0 && PASS_THROUGH.has(op) && (node.domain ?? '') === '' && at.steps.length < MAX_STEPS && node.output?.[0]) {
      const next = await passThrough(file, modelDir, graph, node, index, at);
      if (next) {
        await collectUses(file, modelDir, graph, node.output[0], { ...next, via: [...at.via, op] }, out, seen);
        continue;
      }
    }
    out.push({ node, index, input, ...at });
  }
}

/** The step a pass-through node applies, or null when it cannot be known before running (a computed shape). */
async function passThrough(
  file: string,
  modelDir: string,
  graph: OnnxGraphIndex,
  node: OnnxNode,
  index: number,
  at: { steps: WeightStep[]; shape: number[]; type: number },
): Promise<{ steps: WeightStep[]; shape: number[]; type: number } | null> {
  const { shape, type } = at;
  const rank = shape.length;
  const label = `${node.opType} "${nodeLabel(node, index)}"`;
  const constantInts = async (input: number): Promise<number[] | null | undefined> => {
    const name = node.input?.[input];
    if (!name) return undefined;
    const c = graph.constantByName.get(name);
    if (!c) return null;
    return Array.from((await readTensorValues(file, modelDir, c.tensor, `tensor "${name}" (input ${input} of ${label})`)).values);
  };
  const reshaped = (next: number[]) => ({ steps: [...at.steps, { kind: 'reshape' as const, shape: next }], shape: next, type });
  switch (node.opType) {
    case 'Identity':
      return { ...at };
    case 'Transpose': {
      const perm = intsAttribute(node, 'perm') ?? shape.map((_, i) => rank - 1 - i);
      if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) return null;
      return { steps: [...at.steps, { kind: 'transpose', perm }], shape: perm.map((p) => shape[p]), type };
    }
    case 'Reshape': {
      const target = await constantInts(1);
      if (!target) return null;
      const allowZero = intAttribute(node, 'allowzero', 0) === 1;
      const dims = target.map((d, i) => (d === 0 && !allowZero ? shape[i] : d));
      const known = dims.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
      const total = shape.reduce((p, d) => p * d, 1);
      const holes = dims.filter((d) => d === -1).length;
      if (holes > 1 || dims.some((d) => d === undefined || d < -1) || (holes === 1 ? known === 0 || total % known !== 0 : known !== total)) return null;
      return reshaped(dims.map((d) => (d === -1 ? total / known : d)));
    }
    case 'Flatten': {
      let axis = intAttribute(node, 'axis', 1);
      if (axis < 0) axis += rank;
      if (axis < 0 || axis > rank) return null;
      return reshaped([sizeOf(shape, [...shape.keys()].slice(0, axis)), sizeOf(shape, [...shape.keys()].slice(axis))]);
    }
    case 'Squeeze': {
      const axes = intsAttribute(node, 'axes') ?? (await constantInts(1));
      if (axes === null) return null;
      const drop = new Set((axes ?? shape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + rank : a)));
      if ([...drop].some((a) => shape[a] !== 1)) return null;
      return reshaped(shape.filter((_, i) => !drop.has(i)));
    }
    case 'Unsqueeze': {
      const axes = intsAttribute(node, 'axes') ?? (await constantInts(1));
      if (!axes) return null;
      const outRank = rank + axes.length;
      const insert = new Set(axes.map((a) => (a < 0 ? a + outRank : a)));
      if (insert.size !== axes.length || [...insert].some((a) => a < 0 || a >= outRank)) return null;
      const next: number[] = [];
      let k = 0;
      for (let i = 0; i < outRank; i++) next.push(insert.has(i) ? 1 : shape[k++]);
      return reshaped(next);
    }
    case 'Cast': {
      const to = intAttribute(node, 'to', 0);
      if (!isFloatType(to) || !(isFloatType(type) || isIntegerType(type))) return null;
      return { steps: [...at.steps, { kind: 'cast', to }], shape, type: to };
    }
    case 'DequantizeLinear': {
      const scale = graph.constantByName.get(node.input?.[1] ?? '');
      const zeroName = node.input?.[2];
      const zero = zeroName ? graph.constantByName.get(zeroName) : undefined;
      if (!scale || (zeroName && !zero) || !isIntegerType(type) || intAttribute(node, 'block_size', 0) > 0) return null;
      let axis = intAttribute(node, 'axis', 1);
      if (axis < 0) axis += rank;
      const by = `${label}`;
      return { steps: [...at.steps, { kind: 'dequantize', scale, zero: zero ?? null, axis, by }], shape, type: scale.tensor.dataType ?? ONNX_TYPE.FLOAT };
    }
    default:
      return null;
  }
}

/** What one use makes of the constant: its matrices (with the steps that lead to them) or why it has none. */
function classify(file: string, graph: OnnxGraphIndex, constant: OnnxConstant, use: Use): Classified {
  const { node, index, input } = use;
  const op = node.opType ?? '';
  const label = nodeLabel(node, index);
  const slot = SLOTS[op]?.[input] ?? `input ${input}`;
  const where = `${slot} of ${op} "${label}"`;
  const fail = (problem: string): never => {
    throw new ModelFileError(file, `tensor "${constant.name}" (${where}): ${problem}`);
  };
  const shape = use.shape;
  const rank = shape.length;
  const all = [...shape.keys()];
  const notes: string[] = [];
  const via = use.via.filter((op) => op !== 'DequantizeLinear'); // that one gets a note of its own
  if (via.length > 0) notes.push(`through ${via.join(', ')}`);
  const stored = constant.tensor.dataType ?? 0;
  if (stored === ONNX_TYPE.FLOAT16 || stored === ONNX_TYPE.BFLOAT16) notes.push(`${onnxTypeName(stored)} values widened to float32`);
  for (const step of use.steps) if (step.kind === 'dequantize') notes.push(`dequantized by ${step.by}: (q − zero point)·scale`);

  // The QLinear ops dequantize their weight operand themselves (per tensor or per output channel); after
  // that step the operand reads as MatMul's A or B, or Conv's W.
  let type = use.type;
  let steps = use.steps;
  let as = op;
  let slotIndex = input;
  if ((op === 'QLinearMatMul' && (input === 0 || input === 3)) || (op === 'QLinearConv' && input === 3)) {
    const scale = graph.constantByName.get(node.input?.[input + 1] ?? '');
    const zeroName = node.input?.[input + 2];
    const zero = zeroName ? graph.constantByName.get(zeroName) : undefined;
    if (!scale || (zeroName && !zero)) return { skip: `${where}: its scale or zero point is computed, not stored` };
    if (!isIntegerType(type)) return { skip: `${onnxTypeName(type)} tensor at ${where} (expected an integer type)` };
    const axis = op === 'QLinearConv' ? 0 : input === 3 ? rank - 1 : rank - 2;
    steps = [...steps, { kind: 'dequantize', scale, zero: zero ?? null, axis, by: `${op} "${label}"` }];
    type = scale.tensor.dataType ?? ONNX_TYPE.FLOAT;
    notes.push(`dequantized by ${op} "${label}": (q − zero point)·scale`);
    as = op === 'QLinearConv' ? 'Conv' : 'MatMul';
    slotIndex = op === 'QLinearConv' || input === 3 ? 1 : 0;
  }
  if (!isFloatType(type)) {
    if (MATRIX_SLOTS.get(op)?.includes(input)) return { skip: `${onnxTypeName(type)} tensor at ${where}: only float weights (or quantized ones with a stored scale) are read as matrices` };
    return { skip: where };
  }
  const spec = (rows: number[], cols: number[], role: WeightRole, extra: string[] = [], view: readonly number[] = shape, batch: number[] = [], suffix: (at: number[]) => string = bracketed): Classified => ({
    matrices: matricesOf(label, op, role, view, rows, cols, batch, [...notes, ...extra], suffix),
    steps,
  });

  switch (as) {
    case 'Gemm': {
      if (slotIndex > 1) return { skip: `bias of Gemm "${label}"` };
      if (rank !== 2) fail(`a ${rank}-D operand; Gemm takes 2-D A and B`);
      const transposed = intAttribute(node, slotIndex === 1 ? 'transB' : 'transA', 0) === 1;
      if (slotIndex === 1) return spec(transposed ? [0] : [1], transposed ? [1] : [0], 'dense', transposed ? [] : ['B stored K × N (transB = 0), read transposed']);
      return spec(transposed ? [1] : [0], transposed ? [0] : [1], 'dense', ['constant A: z = A·h']);
    }
    case 'MatMul':
    case 'FusedMatMul': {
      if (slotIndex > 1) return { skip: where };
      if (rank < 2) return { skip: `a vector (1-D ${where})` };
      const batch = all.slice(0, rank - 2);
      const transposed = as === 'FusedMatMul' && intAttribute(node, slotIndex === 1 ? 'transB' : 'transA', 0) === 1;
      const [last, second] = [rank - 1, rank - 2];
      if (slotIndex === 1) return spec(transposed ? [second] : [last], transposed ? [last] : [second], 'dense', transposed ? [] : ['B stored K × N, read transposed'], shape, batch);
      return spec(transposed ? [last] : [second], transposed ? [second] : [last], 'dense', ['constant A: z = A·h'], shape, batch);
    }
    case 'Conv':
    case 'FusedConv': {
      if (slotIndex !== 1) return { skip: slotIndex === 2 ? `bias of ${op} "${label}"` : where };
      if (rank < 3) fail(`a ${rank}-D kernel; a convolution kernel is C_out × C_in/groups × k… (rank ≥ 3)`);
      const groups = intAttribute(node, 'group', 1);
      return spec([0], all.slice(1), 'conv', groups > 1 ? [`groups = ${groups}: C_out × C_in/groups·k…`] : []);
    }
    case 'ConvTranspose': {
      if (slotIndex !== 1) return { skip: slotIndex === 2 ? `bias of ConvTranspose "${label}"` : where };
      if (rank < 3) fail(`a ${rank}-D kernel; a transposed convolution kernel is C_in × C_out/groups × k… (rank ≥ 3)`);
      const groups = intAttribute(node, 'group', 1);
      return spec(all.slice(1), [0], 'conv-transpose', [`stored C_in × C_out/groups × k…, read as C_out/groups·k… × C_in${groups > 1 ? ` (groups = ${groups})` : ''}`]);
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      if (slotIndex !== 1 && slotIndex !== 2) return { skip: slotIndex === 3 ? `bias of ${op} "${label}"` : where };
      const gates = GATES[as];
      if (rank !== 3) fail(`a ${rank}-D tensor; ${slot} of ${op} is [num_directions, ${gates.length} gates × hidden_size, ${slotIndex === 1 ? 'input_size' : 'hidden_size'}]`);
      const [directions, stacked] = shape;
      if (directions !== 1 && directions !== 2) fail(`num_directions ${directions} (expected 1 or 2)`);
      if (stacked % gates.length !== 0) fail(`${stacked} rows are not ${gates.length} gates × hidden_size`);
      const hidden = stacked / gates.length;
      const declared = intAttribute(node, 'hidden_size', hidden);
      if (declared !== hidden) fail(`${stacked} rows for ${gates.length} gates × hidden_size ${declared} (${gates.length * declared} expected)`);
      const which = slotIndex === 1 ? 'W' : 'R';
      const names = directions === 2 ? ['forward', 'reverse'] : [null];
      const view = [directions, gates.length, hidden, shape[2]];
      const suffix = ([d, g]: number[]) => `.${which}${names[d] ? `.${names[d]}` : ''}${gates[g] ? `.${gates[g]}` : ''}`;
      const reverse = directions === 1 && stringAttribute(node, 'direction', 'forward') === 'reverse';
      return spec([2], [3], slotIndex === 1 ? 'recurrent-input' : 'recurrent-hidden', reverse ? ['direction reverse'] : [], view, [0, 1], suffix);
    }
    case 'Gather': {
      if (slotIndex !== 0) return { skip: where };
      if (rank !== 2) return { skip: `a ${rank}-D table of Gather "${label}" (only 2-D lookup tables are read as embeddings)` };
      let axis = intAttribute(node, 'axis', 0);
      if (axis < 0) axis += 2;
      return spec(axis === 0 ? [1] : [0], axis === 0 ? [0] : [1], 'embedding', axis === 0 ? ['table stored vocab × dim, read as dim × vocab'] : []);
    }
    case 'Einsum': {
      const layout = einsumLayout(stringAttribute(node, 'equation', ''), slotIndex, node.input?.length ?? 0, rank);
      if (layout.kind === 'invalid') return fail(layout.problem);
      if (layout.kind === 'skip') return { skip: layout.reason };
      return spec(layout.rows, layout.cols, 'einsum', [], shape, layout.batch);
    }
    default:
      return { skip: where };
  }
}

/** The (op, input) slots that hold weight matrices, for the reason given when such a tensor is not float. */
const MATRIX_SLOTS = new Map<string, number[]>([
  ['Gemm', [0, 1]],
  ['MatMul', [0, 1]],
  ['Conv', [1]],
  ['ConvTranspose', [1]],
  ['LSTM', [1, 2]],
  ['GRU', [1, 2]],
  ['RNN', [1, 2]],
  ['MatMulInteger', [0, 1]],
  ['ConvInteger', [1]],
]);

const bracketed = (at: number[]): string => (at.length === 0 ? '' : `[${at.join(',')}]`);

/** One matrix per combination of the batch axes. */
function matricesOf(
  label: string,
  op: string,
  role: WeightRole,
  view: readonly number[],
  rows: number[],
  cols: number[],
  batch: number[],
  notes: string[],
  suffix: (at: number[]) => string,
): MatrixSpec[] {
  const matrices: MatrixSpec[] = [];
  const note = notes.length > 0 ? notes.join('; ') : null;
  const visit = (k: number, at: number[]) => {
    if (k === batch.length) {
      matrices.push({ name: `${label}${suffix(at)}`, role, op, view, rows, cols, fixed: new Map(batch.map((axis, i) => [axis, at[i]])), note });
      return;
    }
    for (let i = 0; i < view[batch[k]]; i++) visit(k + 1, [...at, i]);
  };
  visit(0, []);
  return matrices;
}
