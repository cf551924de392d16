/**
 * ONNX → IR for constants and shape ops. Ops whose inputs are all constants are evaluated at import time
 * (the Shape/Gather/Concat chains exporters emit); shape arguments must be constants.
 */
import { isStatic, resolveReshape, type Dim, type HostTensor } from '@rank-collapse/backend';
import { readTensorProto } from '@rank-collapse/model-files/onnx';
import { IR_DTYPE_OF_ONNX, Unsupported, type ImportContext, type ImportNode } from './import-context.js';
import { foldConcat, foldGather, foldSlice1d, int64s, numbers, reshaped, tensorOf } from './fold-constants.js';

type Translate = (ctx: ImportContext, node: ImportNode, modelDir: string) => void;

const constant: Translate = (ctx, node, modelDir) => {
  const a = node.attrs;
  const t = a.tensor('value');
  let value: HostTensor;
  if (t) value = readTensorProto(t, { modelDir }, `Constant "${node.name}"`);
  else if (a.has('value_float')) value = tensorOf('float32', [], [a.float('value_float', 0)]);
  else if (a.has('value_floats')) value = tensorOf('float32', [a.floats('value_floats')!.length], a.floats('value_floats')!);
  else if (a.has('value_int')) value = int64s([a.int('value_int', 0)], []);
  else if (a.has('value_ints')) value = int64s(a.ints('value_ints')!);
  else throw new Unsupported(`Constant with attribute ${a.names().join(', ') || '(none)'}`);
  ctx.setConst(node.outputs[0], value);
};

/** Identity and inference-mode Dropout: the output is the input (no IR node). */
const passThrough: Translate = (ctx, node) => {
  if (node.outputs.slice(1).some((o) => o !== '')) throw new Unsupported('the mask output');
  const trainingMode = node.opType === 'Dropout' && node.inputs[2] ? ctx.maybeConstant(node.inputs[2]) : undefined;
  if (node.opType === 'Dropout' && node.inputs[2] && (!trainingMode || numbers(trainingMode)[0] !== 0)) throw new Unsupported('training mode (only inference Dropout imports, as Identity)');
  const c = ctx.maybeConstant(node.inputs[0]);
  if (c) ctx.setConst(node.outputs[0], c);
  else ctx.setValue(node.outputs[0], ctx.value(node.inputs[0]));
  if (node.opType === 'Dropout') ctx.notes.push(`Dropout "${node.name}" imported as Identity (inference)`);
};

/** A target shape for the IR (numbers, 0 = copy, −1 = infer) from a vector that may hold symbolic dims. */
function targetShape(ctx: ImportContext, name: string, input: readonly Dim[]): number[] {
  const target = ctx.dims(name);
  if (!target) return ctx.constantInts(name, 'the target shape');
  let inferred = target.dims.includes(-1);
  return target.dims.map((d, i) => {
    if (typeof d === 'number') return d;
    if (input[i] === d) return 0;
    if (inferred) throw new Unsupported(`target shape [${target.dims}] has a symbolic dim that cannot be expressed`);
    inferred = true;
    return -1;
  });
}

const reshape: Translate = (ctx, node) => {
  const shape = ctx.opset < 5 ? node.attrs.ints('shape')! : targetShape(ctx, node.inputs[1], ctx.type(node.inputs[0]).shape);
  if (node.attrs.int('allowzero', 0) === 1 && shape.includes(0)) throw new Unsupported('allowzero = 1 with a 0 in the shape');
  const c = ctx.maybeConstant(node.inputs[0]);
  if (c) {
    ctx.setConst(node.outputs[0], reshaped(c, resolveReshape(c.shape, shape, node.name) as number[]));
    return;
  }
  ctx.emitTo(node.outputs[0], 'Reshape', [ctx.value(node.inputs[0])], { shape }, node.name);
};

const flatten: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], 'Flatten', [ctx.value(node.inputs[0])], { axis: node.attrs.int('axis', 1) }, node.name);
};

const transpose: Translate = (ctx, node) => {
  const perm = node.attrs.ints('perm');
  ctx.emitTo(node.outputs[0], 'Transpose', [ctx.value(node.inputs[0])], perm ? { perm } : {}, node.name);
};

/** Squeeze/Unsqueeze: axes an attribute before opset 13, an input after. */
const squeeze: Translate = (ctx, node) => {
  const given = ctx.opset < 13 ? node.attrs.ints('axes') : node.inputs[1] ? ctx.constantInts(node.inputs[1], 'axes') : undefined;
  const x = ctx.type(node.inputs[0]);
  let axes = given;
  if (!axes) {
    if (node.opType === 'Unsqueeze') throw new Unsupported('Unsqueeze without axes');
    axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  }
  const vector = ctx.dims(node.inputs[0]);
  if (vector && !ctx.maybeConstant(node.inputs[0])) {
    // Scalar ↔ 1-element vector of a run-time shape (Gather → Unsqueeze → Concat chains).
    if (node.opType === 'Unsqueeze' && vector.scalar && axes.length === 1 && (axes[0] === 0 || axes[0] === -1)) return ctx.setDims(node.outputs[0], vector.dims);
    if (node.opType === 'Squeeze' && !vector.scalar && vector.dims.length === 1) return ctx.setDims(node.outputs[0], vector.dims, true);
    throw new Unsupported('reshaping a run-time shape vector');
  }
  const c = ctx.maybeConstant(node.inputs[0]);
  if (c) {
    const rank = node.opType === 'Squeeze' ? c.shape.length : c.shape.length + axes.length;
    const norm = axes.map((a) => (a < 0 ? a + rank : a));
    let shape: number[];
    if (node.opType === 'Squeeze') shape = c.shape.filter((_, i) => !norm.includes(i));
    else {
      shape = [];
      let j = 0;
      for (let i = 0; i < rank; i++) shape.push(norm.includes(i) ? 1 : c.shape[j++]);
    }
    ctx.setConst(node.outputs[0], reshaped(c, shape));
    return;
  }
  ctx.emitTo(node.outputs[0], node.opType as 'Squeeze', [ctx.value(node.inputs[0])], { axes }, node.name);
};

const concat: Translate = (ctx, node) => {
  const axis = node.attrs.int('axis', 0);
  const inputs = node.inputs.filter((i) => i !== '');
  const vectors = inputs.map((i) => ctx.dims(i));
  if (vectors.every((v) => v && !v.scalar) && inputs.some((i) => !ctx.maybeConstant(i))) {
    ctx.setDims(node.outputs[0], vectors.flatMap((v) => v!.dims));
    return;
  }
  const constants = inputs.map((i) => ctx.maybeConstant(i));
  if (constants.every((c) => c && c.dtype === 'int64')) {
    ctx.setConst(node.outputs[0], foldConcat(constants as HostTensor[], axis));
    return;
  }
  ctx.emitTo(node.outputs[0], 'Concat', inputs.map((i) => ctx.value(i)), { axis }, node.name);
};

/** Shape of a value whose shape is static at import time (opset 15 start/end honoured). */
const shape: Translate = (ctx, node) => {
  const s = ctx.type(node.inputs[0]).shape;
  const rank = s.length;
  const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clampIndex(node.attrs.int('start', 0));
  const end = clampIndex(node.attrs.int('end', rank));
  ctx.setDims(node.outputs[0], s.slice(start, end));
};

const size: Translate = (ctx, node) => {
  const s = ctx.type(node.inputs[0]).shape;
  if (!isStatic(s)) throw new Unsupported('Size of a symbolic shape');
  ctx.setConst(node.outputs[0], int64s([s.reduce((p, d) => p * d, 1)], []));
};

const gather: Translate = (ctx, node) => {
  const vector = ctx.dims(node.inputs[0]);
  if (vector && !vector.scalar && !ctx.maybeConstant(node.inputs[0])) {
    const indices = ctx.constant(node.inputs[1], 'the indices');
    const at = numbers(indices).map((i) => vector.dims[i < 0 ? i + vector.dims.length : i]);
    if (at.some((d) => d === undefined)) throw new Unsupported(`Gather indices [${numbers(indices)}] out of range for a shape of rank ${vector.dims.length}`);
    ctx.setDims(node.outputs[0], at, indices.shape.length === 0);
    return;
  }
  const data = ctx.constant(node.inputs[0], 'the data (Gather folds constants only)');
  ctx.setConst(node.outputs[0], foldGather(data, ctx.constant(node.inputs[1], 'the indices'), node.attrs.int('axis', 0)));
};

const cast: Translate = (ctx, node) => {
  const to = node.attrs.int('to', 1);
  const dtype = IR_DTYPE_OF_ONNX[to];
  if (!dtype) throw new Unsupported(`cast to element type ${to}`);
  const vector = ctx.dims(node.inputs[0]);
  if (vector && dtype === 'int64' && !ctx.maybeConstant(node.inputs[0])) return ctx.setDims(node.outputs[0], vector.dims, vector.scalar);
  const c = ctx.maybeConstant(node.inputs[0]);
  if (c) ctx.setConst(node.outputs[0], tensorOf(dtype, c.shape, numbers(c)));
  else ctx.emitTo(node.outputs[0], 'Cast', [ctx.value(node.inputs[0])], { to: dtype }, node.name);
};

const constantOfShape: Translate = (ctx, node, modelDir) => {
  const dims = ctx.constantInts(node.inputs[0], 'the shape');
  const count = dims.reduce((p, d) => p * d, 1);
  if (!(count >= 0 && count <= 1 << 26)) throw new Unsupported(`a constant of shape [${dims}] (over 2^26 elements)`);
  const t = node.attrs.tensor('value');
  const v = t ? readTensorProto(t, { modelDir }, `ConstantOfShape "${node.name}" value`) : tensorOf('float32', [1], [0]);
  ctx.setConst(node.outputs[0], tensorOf(v.dtype, dims, new Array(count).fill(numbers(v)[0])));
};

/** Slice: starts/ends/axes attributes before opset 10, constant inputs after. */
const slice: Translate = (ctx, node) => {
  const fromInput = (i: number, what: string) => (node.inputs[i] ? ctx.constantInts(node.inputs[i], what) : undefined);
  const starts = ctx.opset < 10 ? node.attrs.ints('starts')! : fromInput(1, 'starts')!;
  const ends = ctx.opset < 10 ? node.attrs.ints('ends')! : fromInput(2, 'ends')!;
  const axes = ctx.opset < 10 ? node.attrs.ints('axes') : fromInput(3, 'axes');
  const steps = ctx.opset < 10 ? undefined : fromInput(4, 'steps');
  const c = ctx.maybeConstant(node.inputs[0]);
  if (c && c.shape.length === 1 && starts.length === 1) {
    ctx.setConst(node.outputs[0], foldSlice1d(c, starts[0], ends[0], steps?.[0] ?? 1));
    return;
  }
  // Exporters write "to the end" as INT64_MAX, which becomes 2^63 as a number; any value past the dim clamps.
  const clampBig = (v: number) => Math.max(Math.min(v, Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
  ctx.emitTo(node.outputs[0], 'Slice', [ctx.value(node.inputs[0])], { starts: starts.map(clampBig), ends: ends.map(clampBig), ...(axes ? { axes } : {}), ...(steps ? { steps } : {}) }, node.name);
};

/**
 * Split into Slices along `axis` (default 0): sizes from the `split` attribute (before opset 13) or input (from
 * 13), else equal parts (opset 18: `num_outputs` parts of ceil(dim / n), the last one smaller).
 */
const split: Translate = (ctx, node) => {
  const x = ctx.type(node.inputs[0]);
  const rank = x.shape.length;
  const rawAxis = node.attrs.int('axis', 0);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const dim = x.shape[axis];
  if (typeof dim !== 'number') throw new Unsupported(`split along the symbolic dim ${dim}`);
  const given = ctx.opset < 13 ? node.attrs.ints('split') : node.inputs[1] ? ctx.constantInts(node.inputs[1], 'split') : undefined;
  const outputs = node.outputs.length;
  const part = Math.ceil(dim / outputs);
  const sizes = given ?? Array.from({ length: outputs }, (_, i) => Math.max(0, Math.min(part, dim - i * part)));
  if (sizes.length !== outputs || sizes.reduce((a, b) => a + b, 0) !== dim) throw new Unsupported(`split sizes [${sizes}] do not cut dim ${dim} into ${outputs} parts`);
  if (sizes.some((n) => n === 0)) throw new Unsupported('empty parts');
  const value = ctx.value(node.inputs[0]);
  let start = 0;
  node.outputs.forEach((out, i) => {
    ctx.emitTo(out, 'Slice', [value], { starts: [start], ends: [start + sizes[i]], axes: [axis] }, outputs === 1 ? node.name : `${node.name}:${i}`);
    start += sizes[i];
  });
};

/** Pad (constant mode): pads/value attributes before opset 11, inputs after (axes input from opset 18). */
const pad: Translate = (ctx, node) => {
  const mode = node.attrs.string('mode', 'constant');
  if (mode !== 'constant') throw new Unsupported(`mode "${mode}" (only constant)`);
  const x = ctx.type(node.inputs[0]);
  let pads = ctx.opset < 11 ? node.attrs.ints('pads')! : ctx.constantInts(node.inputs[1], 'pads');
  const value = ctx.opset < 11 ? node.attrs.float('value', 0) : node.inputs[2] ? numbers(ctx.constant(node.inputs[2], 'constant_value'))[0] ?? 0 : 0;
  if (node.inputs[3]) {
    const rank = x.shape.length;
    const axes = ctx.constantInts(node.inputs[3], 'axes').map((a) => (a < 0 ? a + rank : a));
    const full = new Array(2 * rank).fill(0);
    axes.forEach((a, i) => {
      full[a] = pads[i];
      full[a + rank] = pads[i + axes.length];
    });
    pads = full;
  }
  if (pads.some((p) => p < 0)) throw new Unsupported(`negative pads [${pads}]`);
  ctx.emitTo(node.outputs[0], 'Pad', [ctx.value(node.inputs[0])], { pads, value }, node.name);
};

const expand: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], 'Expand', [ctx.value(node.inputs[0])], { shape: ctx.constantInts(node.inputs[1], 'the shape') }, node.name);
};

export const SHAPE_TRANSLATORS: Record<string, Translate> = {
  Constant: constant,
  Identity: passThrough,
  Dropout: passThrough,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: squeeze,
  Concat: concat,
  Shape: shape,
  Size: size,
  Gather: gather,
  Cast: cast,
  ConstantOfShape: constantOfShape,
  Slice: slice,
  Split: split,
  Pad: pad,
  Expand: expand,
};
