/**
 * The op catalogue: for each op its semantics (one place, ONNX opset-17 conventions unless stated), its
 * arity and its shape/dtype inference. Errors name the node, the op, the input shapes and what was expected.
 */
import { GraphError } from '../errors.js';
import {
  broadcastShapes,
  formatShape,
  normalizeAxis,
  resolveReshape,
  windowOutputSize,
} from './shape.js';
import type { DType, Dim, OpAttrs, OpType, Shape, TensorType } from './types.js';

export interface OpSpec<T extends OpType> {
  /** One-paragraph semantics. */
  readonly doc: string;
  /** Inputs: minimum and maximum count (optional trailing inputs may be '' or absent). */
  readonly inputs: readonly [min: number, max: number];
  /** Whether autodiff propagates gradients through it (to its float inputs). */
  readonly differentiable: boolean;
  infer(inputs: readonly (TensorType | undefined)[], attrs: OpAttrs[T], where: string): TensorType[];
}

const f32 = (shape: Shape): TensorType => ({ dtype: 'float32', shape });

function expectDtype(t: TensorType | undefined, dtype: DType, where: string, what: string): TensorType {
  if (!t) throw new GraphError(`${where}: missing ${what}`);
  if (t.dtype !== dtype) throw new GraphError(`${where}: ${what} must be ${dtype}, got ${t.dtype} ${formatShape(t.shape)}`);
  return t;
}

function expectRank(t: TensorType, rank: number, where: string, what: string): void {
  if (t.shape.length !== rank) throw new GraphError(`${where}: ${what} must have rank ${rank}, got ${formatShape(t.shape)}`);
}

const unary = (doc: string, differentiable = true): OpSpec<any> => ({
  doc,
  inputs: [1, 1],
  differentiable,
  infer: ([x], _a, where) => [f32(expectDtype(x, 'float32', where, 'input').shape)],
});

/** A shape-preserving float op along one axis (checked against the rank). */
const alongAxis = (doc: string): OpSpec<'Softmax' | 'LogSoftmax'> => ({
  doc,
  inputs: [1, 1],
  differentiable: true,
  infer: ([x], attrs, where) => {
    const t = expectDtype(x, 'float32', where, 'input');
    normalizeAxis(attrs.axis ?? -1, t.shape.length, where);
    return [f32(t.shape)];
  },
});

const binary = (doc: string): OpSpec<any> => ({
  doc,
  inputs: [2, 2],
  differentiable: true,
  infer: ([a, b], _attrs, where) => {
    expectDtype(a, 'float32', where, 'input A');
    expectDtype(b, 'float32', where, 'input B');
    return [f32(broadcastShapes(a!.shape, b!.shape, where))];
  },
});

function reduceInfer(x: TensorType, attrs: { axes?: readonly number[]; keepdims?: boolean }, where: string): TensorType {
  const rank = x.shape.length;
  const axes = (attrs.axes ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, rank, where));
  const keep = attrs.keepdims ?? true;
  const shape: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (!axes.includes(i)) shape.push(d);
    else if (keep) shape.push(1);
  });
  return { dtype: x.dtype, shape };
}

function spatial(x: TensorType, where: string): [Dim, Dim, number, number] {
  expectRank(x, 4, where, 'input X (NCHW)');
  const [n, c, h, w] = x.shape;
  if (typeof h !== 'number' || typeof w !== 'number') throw new GraphError(`${where}: spatial dims of ${formatShape(x.shape)} must be static`);
  return [n, c, h, w];
}

function poolInfer(
  x: TensorType,
  kernel: readonly number[],
  strides: readonly number[] | undefined,
  pads: readonly number[] | undefined,
  dilations: readonly number[] | undefined,
  where: string,
): Dim[] {
  const [n, c, h, w] = spatial(x, where);
  const s = strides ?? [1, 1];
  const p = pads ?? [0, 0, 0, 0];
  const d = dilations ?? [1, 1];
  if (kernel.length !== 2) throw new GraphError(`${where}: kernelShape must have 2 entries, got [${kernel}]`);
  const oh = windowOutputSize(h, kernel[0], s[0], p[0], p[2], d[0]);
  const ow = windowOutputSize(w, kernel[1], s[1], p[1], p[3], d[1]);
  if (oh <= 0 || ow <= 0) throw new GraphError(`${where}: window [${kernel}] does not fit input ${formatShape(x.shape)}`);
  return [n, c, oh, ow];
}

export const OPS: { readonly [T in OpType]: OpSpec<T> } = {
  MatMul: {
    doc: 'Y = op(A)·op(B), op = transpose of the last two dims when transA/transB; numpy matmul broadcasting of leading dims. Rank ≥ 2 each.',
    inputs: [2, 2],
    differentiable: true,
    infer: ([a, b], attrs, where) => {
      expectDtype(a, 'float32', where, 'input A');
      expectDtype(b, 'float32', where, 'input B');
      if (a!.shape.length < 2 || b!.shape.length < 2) {
        throw new GraphError(`${where}: inputs must have rank ≥ 2, got ${formatShape(a!.shape)} and ${formatShape(b!.shape)}`);
      }
      const [m, ka] = lastTwo(a!.shape, attrs.transA);
      const [kb, n] = lastTwo(b!.shape, attrs.transB);
      if (ka !== kb && typeof ka === 'number' && typeof kb === 'number') {
        throw new GraphError(`${where}: inner dims differ: ${formatShape(a!.shape)}${attrs.transA ? 'ᵀ' : ''} · ${formatShape(b!.shape)}${attrs.transB ? 'ᵀ' : ''}`);
      }
      const lead = broadcastShapes(a!.shape.slice(0, -2), b!.shape.slice(0, -2), where);
      return [f32([...lead, m, n])];
    },
  },
  Gemm: {
    doc: 'Y = alpha·op(A)·op(B) + beta·C for 2-D A, B; C broadcasts to the result (optional). Defaults alpha = beta = 1.',
    inputs: [2, 3],
    differentiable: true,
    infer: ([a, b, c], attrs, where) => {
      expectDtype(a, 'float32', where, 'input A');
      expectDtype(b, 'float32', where, 'input B');
      expectRank(a!, 2, where, 'input A');
      expectRank(b!, 2, where, 'input B');
      const [m, ka] = lastTwo(a!.shape, attrs.transA);
      const [kb, n] = lastTwo(b!.shape, attrs.transB);
      if (ka !== kb && typeof ka === 'number' && typeof kb === 'number') {
        throw new GraphError(`${where}: inner dims differ: ${formatShape(a!.shape)}${attrs.transA ? 'ᵀ' : ''} · ${formatShape(b!.shape)}${attrs.transB ? 'ᵀ' : ''}`);
      }
      if (c) {
        expectDtype(c, 'float32', where, 'input C');
        const y = broadcastShapes([m, n], c.shape, where);
        if (y.length !== 2 || y[0] !== m || y[1] !== n) throw new GraphError(`${where}: C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
      }
      return [f32([m, n])];
    },
  },
  Add: binary('Y = A + B, broadcasting.'),
  Sub: binary('Y = A − B, broadcasting.'),
  Mul: binary('Y = A ⊙ B, broadcasting.'),
  Div: binary('Y = A / B, broadcasting.'),
  Neg: unary('Y = −X.'),
  Exp: unary('Y = exp(X).'),
  Log: unary('Y = ln(X).'),
  Sqrt: unary('Y = √X.'),
  Abs: unary('Y = |X| (gradient sign(X), 0 at 0).'),
  Relu: unary('Y = max(X, 0); gradient 1 where X > 0, else 0.'),
  LeakyRelu: unary('Y = X if X ≥ 0 else alpha·X (alpha default 0.01).'),
  Tanh: unary('Y = tanh(X).'),
  Sigmoid: unary('Y = 1/(1 + exp(−X)).'),
  Clip: unary('Y = min(max(X, min), max); absent bounds are ±∞; gradient 1 strictly inside, else 0.'),
  Greater: {
    doc: 'Y = A > B (bool), broadcasting. Not differentiable.',
    inputs: [2, 2],
    differentiable: false,
    infer: ([a, b], _attrs, where) => {
      expectDtype(a, 'float32', where, 'input A');
      expectDtype(b, 'float32', where, 'input B');
      return [{ dtype: 'bool', shape: broadcastShapes(a!.shape, b!.shape, where) }];
    },
  },
  Equal: {
    doc: 'Y = A == B (bool), broadcasting; A and B of the same dtype. Not differentiable.',
    inputs: [2, 2],
    differentiable: false,
    infer: ([a, b], _attrs, where) => {
      if (!a || !b) throw new GraphError(`${where}: needs two inputs`);
      if (a.dtype !== b.dtype) throw new GraphError(`${where}: inputs must share a dtype, got ${a.dtype} and ${b.dtype}`);
      return [{ dtype: 'bool', shape: broadcastShapes(a.shape, b.shape, where) }];
    },
  },
  Where: {
    doc: 'Y = cond ? X : Z elementwise (cond bool), all three broadcasting. Differentiable in X and Z.',
    inputs: [3, 3],
    differentiable: true,
    infer: ([c, x, z], _attrs, where) => {
      expectDtype(c, 'bool', where, 'condition');
      expectDtype(x, 'float32', where, 'input X');
      expectDtype(z, 'float32', where, 'input Y');
      return [f32(broadcastShapes(broadcastShapes(c!.shape, x!.shape, where), z!.shape, where))];
    },
  },
  Reshape: {
    doc: 'Same data, new shape. Target dims: 0 copies the input dim at that index, −1 is inferred (one at most).',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      return [{ dtype: x.dtype, shape: resolveReshape(x.shape, attrs.shape, where) }];
    },
  },
  Transpose: {
    doc: 'Permutes dims: Y.shape[i] = X.shape[perm[i]]; perm defaults to reversing the dims.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      const rank = x.shape.length;
      const perm = attrs.perm ?? x.shape.map((_, i) => rank - 1 - i);
      if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
        throw new GraphError(`${where}: perm [${perm}] is not a permutation of ${rank} dims for ${formatShape(x.shape)}`);
      }
      return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }];
    },
  },
  Flatten: {
    doc: 'Reshapes to 2-D [prod(dims < axis), prod(dims ≥ axis)]; axis default 1.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      const rank = x.shape.length;
      const axis = attrs.axis ?? 1;
      const a = axis < 0 ? axis + rank : axis;
      if (a < 0 || a > rank) throw new GraphError(`${where}: axis ${axis} out of range for ${formatShape(x.shape)}`);
      const prod = (dims: Shape): Dim =>
        dims.length === 1 ? dims[0] : dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((p, d) => p * d, 1) : flattenSymbolic(dims, where);
      return [{ dtype: x.dtype, shape: [prod(x.shape.slice(0, a)), prod(x.shape.slice(a))] }];
    },
  },
  Squeeze: {
    doc: 'Removes the listed dims, each of size 1.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      const axes = attrs.axes.map((a) => normalizeAxis(a, x.shape.length, where));
      for (const a of axes) if (x.shape[a] !== 1) throw new GraphError(`${where}: dim ${a} of ${formatShape(x.shape)} is not 1`);
      return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
    },
  },
  Unsqueeze: {
    doc: 'Inserts dims of size 1 at the listed positions of the output.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      const rank = x.shape.length + attrs.axes.length;
      const axes = attrs.axes.map((a) => normalizeAxis(a, rank, where));
      const shape: Dim[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
      return [{ dtype: x.dtype, shape }];
    },
  },
  Expand: {
    doc: 'Broadcasts X to broadcast(X.shape, shape) (numpy rules).',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      return [{ dtype: x.dtype, shape: broadcastShapes(x.shape, attrs.shape, where) }];
    },
  },
  Concat: {
    doc: 'Joins inputs along axis; other dims must match.',
    inputs: [1, Infinity],
    differentiable: true,
    infer: (inputs, attrs, where) => {
      const first = inputs[0];
      if (!first) throw new GraphError(`${where}: needs at least one input`);
      const axis = normalizeAxis(attrs.axis, first.shape.length, where);
      let total: Dim = 0;
      for (const t of inputs) {
        if (!t || t.dtype !== first.dtype || t.shape.length !== first.shape.length) {
          throw new GraphError(`${where}: inputs ${inputs.map((i) => (i ? formatShape(i.shape) : '?')).join(', ')} differ in dtype or rank`);
        }
        t.shape.forEach((d, i) => {
          if (i !== axis && d !== first.shape[i]) throw new GraphError(`${where}: inputs ${inputs.map((i) => formatShape(i!.shape)).join(', ')} differ off axis ${axis}`);
        });
        const d = t.shape[axis];
        if (typeof d !== 'number' || typeof total !== 'number') total = `${total}+${d}`;
        else total += d;
      }
      const shape = [...first.shape];
      shape[axis] = total;
      return [{ dtype: first.dtype, shape }];
    },
  },
  Slice: {
    doc: 'ONNX Slice with static starts/ends/axes/steps (negative indices count from the end, ends clamp).',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      return [{ dtype: x.dtype, shape: sliceShape(x.shape, attrs, where) }];
    },
  },
  Pad: {
    doc: 'Constant padding: pads = [begin_0..begin_{r−1}, end_0..end_{r−1}] (non-negative), fill value default 0.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      const r = x.shape.length;
      if (attrs.pads.length !== 2 * r || attrs.pads.some((p) => p < 0)) {
        throw new GraphError(`${where}: pads [${attrs.pads}] must be ${2 * r} non-negative numbers for ${formatShape(x.shape)}`);
      }
      return [{ dtype: x.dtype, shape: x.shape.map((d, i) => (typeof d === 'number' ? d + attrs.pads[i] + attrs.pads[i + r] : attrs.pads[i] + attrs.pads[i + r] === 0 ? d : fail(where, 'cannot pad a symbolic dim'))) }];
    },
  },
  ReduceSum: { doc: 'Sum over axes (all when absent); keepdims default true.', inputs: [1, 1], differentiable: true, infer: ([x], a, w) => [reduceInfer(expectDtype(x, 'float32', w, 'input'), a, w)] },
  ReduceMean: { doc: 'Mean over axes (all when absent); keepdims default true.', inputs: [1, 1], differentiable: true, infer: ([x], a, w) => [reduceInfer(expectDtype(x, 'float32', w, 'input'), a, w)] },
  ReduceMax: { doc: 'Max over axes; gradient flows to every position equal to the max.', inputs: [1, 1], differentiable: true, infer: ([x], a, w) => [reduceInfer(expectDtype(x, 'float32', w, 'input'), a, w)] },
  Softmax: alongAxis('Softmax along axis (default −1), computed stably (max subtracted).'),
  LogSoftmax: alongAxis('Log-softmax along axis (default −1), computed stably.'),
  Conv: {
    doc: '2-D convolution (cross-correlation) NCHW: X [N,C,H,W], W [M, C/group, kh, kw], optional B [M]; strides, pads [top,left,bottom,right], dilations, group.',
    inputs: [2, 3],
    differentiable: true,
    infer: ([x, w, b], attrs, where) => {
      expectDtype(x, 'float32', where, 'input X');
      expectDtype(w, 'float32', where, 'weight W');
      const [n, c] = spatial(x!, where);
      expectRank(w!, 4, where, 'weight W');
      const [m, cg, kh, kw] = w!.shape as number[];
      const group = attrs.group ?? 1;
      if (typeof c === 'number' && cg * group !== c) throw new GraphError(`${where}: X ${formatShape(x!.shape)} has ${c} channels, W ${formatShape(w!.shape)} with group ${group} expects ${cg * group}`);
      if (m % group !== 0) throw new GraphError(`${where}: output channels ${m} not divisible by group ${group}`);
      if (b) {
        expectDtype(b, 'float32', where, 'bias B');
        if (b.shape.length !== 1 || b.shape[0] !== m) throw new GraphError(`${where}: bias ${formatShape(b.shape)} must be [${m}]`);
      }
      const [, , oh, ow] = poolInfer(x!, [kh, kw], attrs.strides, attrs.pads, attrs.dilations, where);
      return [f32([n, m, oh, ow])];
    },
  },
  ConvTranspose: {
    doc: 'Gradient-of-Conv op: X [N,C,H,W], W [C, M/group, kh, kw], optional B; out = (H−1)·s − pb − pe + d·(k−1) + outputPadding + 1.',
    inputs: [2, 3],
    differentiable: true,
    infer: ([x, w, b], attrs, where) => {
      expectDtype(x, 'float32', where, 'input X');
      expectDtype(w, 'float32', where, 'weight W');
      const [n, c, h, wd] = spatial(x!, where);
      expectRank(w!, 4, where, 'weight W');
      const [cw, mg, kh, kw] = w!.shape as number[];
      const group = attrs.group ?? 1;
      if (typeof c === 'number' && cw !== c) throw new GraphError(`${where}: X ${formatShape(x!.shape)} has ${c} channels, W ${formatShape(w!.shape)} expects ${cw}`);
      const s = attrs.strides ?? [1, 1];
      const p = attrs.pads ?? [0, 0, 0, 0];
      const d = attrs.dilations ?? [1, 1];
      const op = attrs.outputPadding ?? [0, 0];
      if (typeof c === 'number' && c % group !== 0) throw new GraphError(`${where}: input channels ${c} not divisible by group ${group}`);
      const oh = (h - 1) * s[0] - p[0] - p[2] + d[0] * (kh - 1) + op[0] + 1;
      const ow = (wd - 1) * s[1] - p[1] - p[3] + d[1] * (kw - 1) + op[1] + 1;
      if (oh <= 0 || ow <= 0) throw new GraphError(`${where}: output size ${oh}×${ow} of input ${formatShape(x!.shape)} is not positive`);
      if (b) {
        expectDtype(b, 'float32', where, 'bias B');
        if (b.shape.length !== 1 || b.shape[0] !== mg * group) throw new GraphError(`${where}: bias ${formatShape(b.shape)} must be [${mg * group}]`);
      }
      return [f32([n, mg * group, oh, ow])];
    },
  },
  AveragePool: {
    doc: 'Average over kh×kw windows; countIncludePad default false (padding excluded from the divisor).',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => [f32(poolInfer(expectDtype(x, 'float32', where, 'input X'), attrs.kernelShape, attrs.strides, attrs.pads, undefined, where))],
  },
  GlobalAveragePool: {
    doc: 'Mean over H and W: [N,C,H,W] → [N,C,1,1].',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], _attrs, where) => {
      const [n, c] = spatial(expectDtype(x, 'float32', where, 'input X'), where);
      return [f32([n, c, 1, 1])];
    },
  },
  MaxPool: {
    doc: 'Max over kh×kw windows (padding never wins). Gradient supported when windows do not overlap (stride ≥ kernel, no padding); otherwise autodiff throws naming the node.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], attrs, where) => [f32(poolInfer(expectDtype(x, 'float32', where, 'input X'), attrs.kernelShape, attrs.strides, attrs.pads, undefined, where))],
  },
  BatchNormalization: {
    doc: 'Inputs X [N,C,…], scale, B, mean, var [C]. Inference: Y = scale·(X − mean)/√(var + ε) + B. Training (training = true): batch statistics over all dims but C (biased variance), outputs Y, new running mean = momentum·mean + (1 − momentum)·batch mean, new running var likewise with the unbiased batch variance. ε default 1e-5, momentum 0.9.',
    inputs: [5, 5],
    differentiable: true,
    infer: ([x, scale, bias, mean, variance], attrs, where) => {
      expectDtype(x, 'float32', where, 'input X');
      if (x!.shape.length < 2) throw new GraphError(`${where}: X ${formatShape(x!.shape)} must have rank ≥ 2`);
      const c = x!.shape[1];
      for (const [t, what] of [[scale, 'scale'], [bias, 'B'], [mean, 'mean'], [variance, 'var']] as const) {
        expectDtype(t, 'float32', where, what);
        if (t!.shape.length !== 1 || t!.shape[0] !== c) throw new GraphError(`${where}: ${what} ${formatShape(t!.shape)} must be [${c}]`);
      }
      const y = f32(x!.shape);
      return attrs.training ? [y, f32([c]), f32([c])] : [y];
    },
  },
  Identity: {
    doc: 'Y = X.',
    inputs: [1, 1],
    differentiable: true,
    infer: ([x], _a, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      return [x];
    },
  },
  Constant: {
    doc: 'Y = value (a host tensor stored in the graph).',
    inputs: [0, 0],
    differentiable: false,
    infer: (_inputs, attrs) => [{ dtype: attrs.value.dtype, shape: attrs.value.shape }],
  },
  Cast: {
    doc: 'Converts to dtype `to` (bool → 0/1; float → int64 truncates toward zero).',
    inputs: [1, 1],
    differentiable: false,
    infer: ([x], attrs, where) => {
      if (!x) throw new GraphError(`${where}: missing input`);
      return [{ dtype: attrs.to, shape: x.shape }];
    },
  },
};

function lastTwo(shape: Shape, trans: boolean | undefined): [Dim, Dim] {
  const a = shape[shape.length - 2];
  const b = shape[shape.length - 1];
  return trans ? [b, a] : [a, b];
}

function flattenSymbolic(dims: Shape, where: string): Dim {
  const symbols = dims.filter((d) => typeof d === 'string');
  const rest = dims.filter((d) => typeof d === 'number') as number[];
  if (symbols.length === 1 && rest.every((d) => d === 1)) return symbols[0];
  throw new GraphError(`${where}: cannot flatten dims ${formatShape(dims)} mixing a symbolic dim with others`);
}

function fail(where: string, message: string): never {
  throw new GraphError(`${where}: ${message}`);
}

/** Static output shape of a Slice (ONNX clamping rules). */
export function sliceShape(shape: Shape, attrs: OpAttrs['Slice'], where: string): Dim[] {
  const { starts, ends } = attrs;
  const axes = attrs.axes ?? starts.map((_, i) => i);
  const steps = attrs.steps ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new GraphError(`${where}: starts, ends, axes and steps must have equal lengths`);
  }
  const out: Dim[] = [...shape];
  axes.forEach((axisRaw, i) => {
    const axis = normalizeAxis(axisRaw, shape.length, where);
    const dim = shape[axis];
    if (typeof dim !== 'number') throw new GraphError(`${where}: cannot slice symbolic dim ${dim}`);
    const [start, , step, count] = sliceRange(dim, starts[i], ends[i], steps[i], where);
    void start;
    void step;
    out[axis] = count;
  });
  return out;
}

/** Clamped [start, end, step, count] of a slice along a dim of size `dim` (ONNX rules). */
export function sliceRange(dim: number, startRaw: number, endRaw: number, step: number, where = 'Slice'): [number, number, number, number] {
  if (step === 0 || !Number.isInteger(step)) throw new GraphError(`${where}: step must be a non-zero integer, got ${step}`);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let start = startRaw < 0 ? startRaw + dim : startRaw;
  let end = endRaw < 0 ? endRaw + dim : endRaw;
  if (step > 0) {
    start = clamp(start, 0, dim);
    end = clamp(end, 0, dim);
  } else {
    start = clamp(start, 0, dim - 1);
    end = clamp(end, -1, dim - 1);
  }
  const count = Math.max(0, Math.ceil((end - start) / step));
  return [start, end, step, count];
}

/** Infers output types of a node; throws GraphError naming node, op and input shapes. */
export function inferNode<T extends OpType>(op: T, name: string, inputs: readonly (TensorType | undefined)[], attrs: OpAttrs[T]): TensorType[] {
  const spec = OPS[op] as OpSpec<T> | undefined;
  const where = `${op} node "${name}"`;
  if (!spec) throw new GraphError(`unknown op ${String(op)} at node "${name}"`);
  const given = inputs.length;
  const [min, max] = spec.inputs;
  if (given < min || given > max) throw new GraphError(`${where}: takes ${min === max ? min : `${min} to ${max}`} inputs, got ${given}`);
  try {
    return spec.infer(inputs, attrs, where);
  } catch (error) {
    if (error instanceof GraphError) {
      const shapes = inputs.map((t) => (t ? `${t.dtype}${formatShape(t.shape)}` : '∅')).join(', ');
      throw new GraphError(`${error.message} (inputs: ${shapes})`, { cause: error });
    }
    throw error;
  }
}
