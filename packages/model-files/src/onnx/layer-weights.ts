/**
 * The weight matrices of Gemm, MatMul, Conv, ConvTranspose, Einsum and Gather nodes and of their quantized forms
 * (QLinearMatMul, MatMulInteger, QLinearConv, ConvInteger), read in the convention z = W·h.
 */
import { permute, sizeOf, transpose2d } from './array-layout.js';
import { QuantLayoutError, dequantize, type QuantLayout } from './dequantize.js';
import { einsumAxes } from './einsum-axes.js';
import type { ScopedNode } from './graph-scope.js';
import { floatAttribute, intAttribute, stringAttribute } from './node-attributes.js';
import { recurrentWeights } from './recurrent-weights.js';
import { NONE, matrixOf, runtimeWeight, type MatrixSpec, type NodeWeights, type OperandReader, type OperandStatus, type SkipSpec, type WeightOperand } from './weight-operand.js';

type Reader = (reader: OperandReader, node: ScopedNode) => NodeWeights;

const isActivation = (s: OperandStatus) => s.kind === 'runtime';

/** Gemm: Y = α·A′·B′ + β·C; the constant side is the weight (B′ᵀ when it is B, A′ when it is A). */
const gemm: Reader = (reader, node) => {
  const [a, b] = [reader.operand(node, 0), reader.operand(node, 1)];
  const alpha = floatAttribute(node.proto, 'alpha', 1);
  const scaled = (v: Float64Array) => (alpha === 1 ? v : v.map((x) => x * alpha));
  const alphaNote = alpha === 1 ? null : `scaled by alpha = ${alpha}`;
  const weight = b.kind === 'constant' ? b : a.kind === 'constant' ? a : undefined;
  if (!weight) return a.kind === 'derived' || b.kind === 'derived' ? runtimeWeight(node, 'weight', a.kind === 'derived' ? a : b) : NONE;
  const shape = weight.operand.value.shape;
  if (shape.length !== 2) reader.fail(node, `operand "${weight.operand.name}" has shape [${shape}]; Gemm takes 2-D operands`);
  const [d0, d1] = shape;
  // Stored d0×d1; B′ = transB ? Bᵀ : B is K×N and W = B′ᵀ; A′ = transA ? Aᵀ : A is M×K and W = A′.
  const transposed = weight === b ? intAttribute(node.proto, 'transB', 0) === 0 : intAttribute(node.proto, 'transA', 0) === 1;
  const note = [weight === a ? 'weight is the left operand A' : null, transposed ? `stored ${d0}×${d1} (inputs × outputs), read transposed` : null, alphaNote].filter(Boolean).join('; ') || null;
  return {
    matrices: [
      matrixOf(node, weight.operand, {
        name: node.label,
        role: 'dense',
        rows: transposed ? d1 : d0,
        cols: transposed ? d0 : d1,
        note,
        data: (v) => scaled(transposed ? transpose2d(v, d0, d1) : Float64Array.from(v)),
      }),
    ],
    skipped: [],
  };
};

/**
 * A MatMul weight: on the right (…×K×N, W = Bᵀ per leading index) or on the left (…×M×K, W = A); a constant of
 * rank > 2 gives one matrix per leading index, named `[i]`; a 1-D one is the 1×K row it multiplies by.
 */
function matmulMatrices(reader: OperandReader, node: ScopedNode, operand: WeightOperand, side: 'left' | 'right', extra: string | null): MatrixSpec[] {
  const shape = operand.value.shape;
  const rank = shape.length;
  if (rank === 0) reader.fail(node, `operand "${operand.name}" is a scalar; MatMul takes tensors of rank ≥ 1`);
  const join = (...parts: (string | null)[]) => parts.filter(Boolean).join('; ') || null;
  if (rank === 1) return [matrixOf(node, operand, { name: node.label, role: 'dense', rows: 1, cols: shape[0], note: join('1-D operand read as a 1×K row', extra), data: (v) => Float64Array.from(v) })];
  const [p, q] = shape.slice(-2);
  const count = sizeOf(shape.slice(0, -2));
  const batched = rank > 2 ? `batched operand: one matrix per leading index of [${shape.slice(0, -2)}]` : null;
  const matrices: MatrixSpec[] = [];
  for (let i = 0; i < count; i++) {
    const block = (v: Float64Array) => v.subarray(i * p * q, (i + 1) * p * q);
    matrices.push(
      matrixOf(node, operand, {
        name: rank > 2 ? `${node.label}[${i}]` : node.label,
        role: 'dense',
        rows: side === 'right' ? q : p,
        cols: side === 'right' ? p : q,
        note: join(side === 'left' ? 'weight is the left operand' : null, batched, extra),
        data: side === 'right' ? (v) => transpose2d(block(v), p, q) : (v) => Float64Array.from(block(v)),
      }),
    );
  }
  return matrices;
}

const matmul: Reader = (reader, node) => {
  const [a, b] = [reader.operand(node, 0), reader.operand(node, 1)];
  if (b.kind === 'constant') return { matrices: matmulMatrices(reader, node, b.operand, 'right', null), skipped: [] };
  if (a.kind === 'constant') return { matrices: matmulMatrices(reader, node, a.operand, 'left', null), skipped: [] };
  // Activation × activation (QKᵀ, attention·V) is not a weight; a product with a value computed from constants is.
  if (a.kind === 'derived' || b.kind === 'derived') return runtimeWeight(node, 'weight', a.kind === 'derived' ? a : b);
  return NONE;
};

/**
 * A quantized operand, dequantized as the runtime does: (q − zero)·scale. `axis` is where a 1-D scale of more
 * than one value lies (per row, column or output channel); scales of the operand's rank broadcast.
 */
function dequantized(reader: OperandReader, node: ScopedNode, q: WeightOperand, scaleIndex: number | null, zeroIndex: number, axis: number): WeightOperand | OperandStatus {
  const scale = scaleIndex === null ? ({ kind: 'absent' } as const) : reader.operand(node, scaleIndex);
  const zero = reader.operand(node, zeroIndex);
  for (const [what, s] of [['scale', scale], ['zero point', zero]] as const) {
    if (s.kind === 'derived' || s.kind === 'runtime') return { kind: 'derived', reason: `its ${what} is computed at run time` };
  }
  const scaleOp = scale.kind === 'constant' ? scale.operand : undefined;
  const zeroOp = zero.kind === 'constant' ? zero.operand : undefined;
  const reference = scaleOp ?? zeroOp;
  const perValue = reference !== undefined && sizeOf(reference.value.shape) > 1;
  const layout: QuantLayout = !perValue ? { kind: 'tensor' } : reference!.value.shape.length === 1 ? { kind: 'axis', axis, blockSize: 0 } : { kind: 'broadcast' };
  const kind = scaleOp ? 'dequantized' : 'zero point subtracted';
  const where = !perValue ? 'per tensor' : layout.kind === 'axis' ? `per index of axis ${axis}` : `broadcast [${reference!.value.shape}]`;
  const integer = scaleOp ? '' : '; the scale applied after the integer product is not included';
  const step = reference ? `${kind} (${where})${integer}` : `integer values, zero point 0${integer}`;
  return {
    name: q.name,
    value: q.value,
    steps: [...q.steps, step],
    values: () => {
      try {
        return dequantize(q.values(), q.value.shape, scaleOp && { values: scaleOp.values(), shape: scaleOp.value.shape }, zeroOp && { values: zeroOp.values(), shape: zeroOp.value.shape }, layout);
      } catch (error) {
        if (error instanceof QuantLayoutError) reader.fail(node, `operand "${q.name}": ${error.message}`);
        throw error;
      }
    },
  };
}

/** QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, …) and MatMulInteger (a, b, a_zp, b_zp). */
function quantizedMatmul(layout: { a: number; aScale: number | null; aZero: number; b: number; bScale: number | null; bZero: number }): Reader {
  return (reader, node) => {
    const [a, b] = [reader.operand(node, layout.a), reader.operand(node, layout.b)];
    const side = b.kind === 'constant' ? 'right' : a.kind === 'constant' && isActivation(b) ? 'left' : undefined;
    if (!side) return a.kind === 'derived' || b.kind === 'derived' ? runtimeWeight(node, 'weight', a.kind === 'derived' ? a : b) : NONE;
    const q = (side === 'right' ? b : a) as { kind: 'constant'; operand: WeightOperand };
    const rank = q.operand.value.shape.length;
    // 1-D scales: per column of b (last axis), per row of a (second to last).
    const w = side === 'right' ? dequantized(reader, node, q.operand, layout.bScale, layout.bZero, rank - 1) : dequantized(reader, node, q.operand, layout.aScale, layout.aZero, Math.max(rank - 2, 0));
    if ('kind' in w) return runtimeWeight(node, 'weight', w);
    return { matrices: matmulMatrices(reader, node, w, side, null), skipped: [] };
  };
}

/** Conv kernel C_out × C_in/group × k…, read as C_out × (C_in/group·k…). */
function convMatrix(reader: OperandReader, node: ScopedNode, w: WeightOperand): MatrixSpec {
  const shape = w.value.shape;
  if (shape.length < 3) reader.fail(node, `weight "${w.name}" has shape [${shape}]; a convolution kernel is C_out × C_in/group × k… (rank ≥ 3)`);
  const group = intAttribute(node.proto, 'group', 1);
  if (group < 1 || shape[0] % group !== 0) reader.fail(node, `group ${group} does not divide the ${shape[0]} output channels of weight "${w.name}"`);
  const cols = sizeOf(shape.slice(1));
  const kind = group === 1 ? 'kernel' : shape[1] === 1 ? `depthwise convolution (group ${group}): kernel` : `grouped convolution (group ${group}): kernel`;
  return matrixOf(node, w, { name: node.label, role: 'conv', rows: shape[0], cols, note: `${kind} [${shape}] read as C_out × ${group === 1 ? 'C_in' : 'C_in/group'}·k… = ${shape[0]}×${cols}`, data: (v) => Float64Array.from(v) });
}

function conv(weightIndex: number, quantized?: { scale: number | null; zero: number }): Reader {
  return (reader, node) => {
    const w = reader.operand(node, weightIndex);
    if (w.kind !== 'constant') return w.kind === 'absent' ? NONE : runtimeWeight(node, 'weight', w);
    const operand = quantized ? dequantized(reader, node, w.operand, quantized.scale, quantized.zero, 0) : w.operand;
    if ('kind' in operand) return runtimeWeight(node, 'weight', operand);
    return { matrices: [convMatrix(reader, node, operand)], skipped: [] };
  };
}

/** ConvTranspose kernel C_in × C_out/group × k…, read as (C_out/group·k…) × C_in. */
const convTranspose: Reader = (reader, node) => {
  const w = reader.operand(node, 1);
  if (w.kind !== 'constant') return w.kind === 'absent' ? NONE : runtimeWeight(node, 'weight', w);
  const shape = w.operand.value.shape;
  if (shape.length < 3) reader.fail(node, `weight "${w.operand.name}" has shape [${shape}]; a transposed convolution kernel is C_in × C_out/group × k… (rank ≥ 3)`);
  const group = intAttribute(node.proto, 'group', 1);
  if (group < 1 || shape[0] % group !== 0) reader.fail(node, `group ${group} does not divide the ${shape[0]} input channels of weight "${w.operand.name}"`);
  const rows = sizeOf(shape.slice(1));
  const groups = group === 1 ? '' : ` (group ${group})`;
  return {
    matrices: [matrixOf(node, w.operand, { name: node.label, role: 'conv-transpose', rows, cols: shape[0], note: `transposed-convolution kernel${groups} [${shape}] read as C_out/group·k… × C_in = ${rows}×${shape[0]}`, data: (v) => transpose2d(v, shape[0], rows) })],
    skipped: [],
  };
};

/** Einsum with one constant operand: its contracted axes are columns, the axes it passes to the output rows, shared ones a batch. */
const einsum: Reader = (reader, node) => {
  const inputs = (node.proto.input ?? []).map((_, k) => reader.operand(node, k));
  const constants = inputs.flatMap((s, k) => (s.kind === 'constant' ? [k] : []));
  if (constants.length === 0) return inputs.some((s) => s.kind === 'derived') ? runtimeWeight(node, 'operand', inputs.find((s) => s.kind === 'derived')!) : NONE;
  const equation = stringAttribute(node.proto, 'equation', '');
  if (constants.length > 1 || !inputs.some(isActivation)) return { matrices: [], skipped: [{ name: node.label, shape: [], reason: `Einsum "${equation}" with ${constants.length} constant operands and ${inputs.filter(isActivation).length} run-time ones is not read as a weight (one constant operand is)` }] };
  const k = constants[0];
  const w = (inputs[k] as { kind: 'constant'; operand: WeightOperand }).operand;
  let axes;
  try {
    axes = einsumAxes(equation, k);
  } catch (error) {
    return reader.fail(node, (error as Error).message);
  }
  const shape = w.value.shape;
  if (typeof axes === 'string') return { matrices: [], skipped: [tensorSkip(w, `constant operand of Einsum node "${node.label}" ("${equation}") is not a matrix of the product: ${axes}`)] };
  if (axes.rows.length + axes.cols.length + axes.batch.length !== shape.length) reader.fail(node, `equation "${equation}" gives operand "${w.name}" ${axes.rows.length + axes.cols.length + axes.batch.length} axes, it has shape [${shape}]`);
  const rows = sizeOf(axes.rows.map((a) => shape[a]));
  const cols = sizeOf(axes.cols.map((a) => shape[a]));
  const count = sizeOf(axes.batch.map((a) => shape[a]));
  const letters = [...equation.replace(/\s+/g, '').split('->')[0].split(',')[k]];
  const list = (ax: number[]) => ax.map((a) => letters[a]).join('') || '(none)';
  const note = `Einsum "${equation}": rows ${list(axes.rows)}, columns ${list(axes.cols)} (contracted)${axes.batch.length ? `, one matrix per index of ${list(axes.batch)}` : ''}`;
  const perm = [...axes.batch, ...axes.rows, ...axes.cols];
  const matrices: MatrixSpec[] = [];
  for (let i = 0; i < count; i++) {
    matrices.push(matrixOf(node, w, { name: axes.batch.length ? `${node.label}[${i}]` : node.label, role: 'einsum', rows, cols, note, data: (v) => permute(v, shape, perm).slice(i * rows * cols, (i + 1) * rows * cols) }));
  }
  return { matrices, skipped: [] };
};

/** Gather from a constant 2-D table along axis 0: an embedding, read as dim × vocab. */
const gather: Reader = (reader, node) => {
  const [table, indices] = [reader.operand(node, 0), reader.operand(node, 1)];
  if (table.kind !== 'constant') return NONE;
  const shape = table.operand.value.shape;
  const axis = intAttribute(node.proto, 'axis', 0);
  const skip = (reason: string): NodeWeights => ({ matrices: [], skipped: [tensorSkip(table.operand, `table of Gather node "${node.label}": ${reason}`)] });
  // Constant indices (position ids of a positional embedding) still make the table a weight.
  if (indices.kind === 'absent') return skip('no indices');
  if (shape.length !== 2) return skip(`a table of rank ${shape.length} (an embedding table is 2-D)`);
  if (axis !== 0 && axis !== -2) return skip(`gathers along axis ${axis} (an embedding gathers rows)`);
  const [vocab, dim] = shape;
  return { matrices: [matrixOf(node, table.operand, { name: node.label, role: 'embedding', rows: dim, cols: vocab, note: `table [${shape}] (vocab × dim) read as dim × vocab`, data: (v) => transpose2d(v, vocab, dim) })], skipped: [] };
};

/** A skipped item for a constant operand, named by the stored tensor(s) it comes from. */
function tensorSkip(operand: WeightOperand, reason: string): SkipSpec {
  const labels = [...new Set(operand.value.sources.map((s) => s.label))];
  return { name: labels.join(' + ') || operand.name, shape: operand.value.shape, reason, sources: operand.value.sources };
}

/** The readers by op type (ai.onnx domain). */
export const LAYER_READERS: Record<string, Reader> = {
  Gemm: gemm,
  MatMul: matmul,
  QLinearMatMul: quantizedMatmul({ a: 0, aScale: 1, aZero: 2, b: 3, bScale: 4, bZero: 5 }),
  MatMulInteger: quantizedMatmul({ a: 0, aScale: null, aZero: 2, b: 1, bScale: null, bZero: 3 }),
  Conv: conv(1),
  QLinearConv: conv(3, { scale: 4, zero: 5 }),
  ConvInteger: conv(1, { scale: null, zero: 3 }),
  ConvTranspose: convTranspose,
  Einsum: einsum,
  Gather: gather,
  LSTM: recurrentWeights(['i', 'o', 'f', 'c']),
  GRU: recurrentWeights(['z', 'r', 'h']),
  RNN: recurrentWeights(['']),
};
