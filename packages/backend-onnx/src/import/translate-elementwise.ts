/** ONNX → IR for elementwise ops, activations, softmax and reductions. */
import type { OpType } from '@rank-collapse/backend';
import { Unsupported, type ImportContext, type ImportNode } from './import-context.js';
import { foldBinary, numbers } from './fold-constants.js';

type Translate = (ctx: ImportContext, node: ImportNode) => void;

const unary =
  (op: OpType): Translate =>
  (ctx, node) => {
    ctx.emitTo(node.outputs[0], op, [ctx.value(node.inputs[0])], {} as never, node.name);
  };

const FOLD: Record<string, (x: number, y: number) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  Div: (x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y),
};

/** Add/Sub/Mul/Div: folded when both sides are int64 constants (shape arithmetic); else an IR op. */
const binary: Translate = (ctx, node) => {
  const [a, b] = node.inputs;
  const ca = ctx.maybeConstant(a);
  const cb = ctx.maybeConstant(b);
  if (ca && cb && ca.dtype === 'int64' && cb.dtype === 'int64') {
    ctx.setConst(node.outputs[0], foldBinary(ca, cb, FOLD[node.opType]));
    return;
  }
  if (node.attrs.has('axis') && node.attrs.int('broadcast', 0) === 1) throw new Unsupported('legacy broadcast with an axis (opset < 7)');
  // An initializer added to a computed value (a matmul output) is the layer's bias.
  const role = (self: string, other: string) => (node.opType === 'Add' && ctx.isInitializer(self) && ctx.has(other) && !ctx.isConst(other) ? 'bias' : undefined);
  ctx.emitTo(node.outputs[0], node.opType as 'Add', [ctx.value(a, role(a, b)), ctx.value(b, role(b, a))], {} as never, node.name);
};

/** Sum of any number of inputs as a chain of Adds. */
const sum: Translate = (ctx, node) => {
  let acc = ctx.value(node.inputs[0]);
  node.inputs.slice(1).forEach((input, i) => {
    const last = i === node.inputs.length - 2;
    acc = last ? ctx.emitTo(node.outputs[0], 'Add', [acc, ctx.value(input)], {}, node.name) : ctx.emitTemp(`${node.name}/add`, 'Add', [acc, ctx.value(input)], {});
  });
  if (node.inputs.length === 1) ctx.emitTo(node.outputs[0], 'Identity', [acc], {}, node.name);
};

const comparison: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], node.opType as 'Greater', [ctx.value(node.inputs[0]), ctx.value(node.inputs[1])], {}, node.name);
};

const where: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], 'Where', node.inputs.map((i) => ctx.value(i)), {}, node.name);
};

/** A scalar bound given as an optional constant input. */
function bound(ctx: ImportContext, name: string | undefined, what: string): number | undefined {
  if (!name) return undefined;
  const t = ctx.constant(name, what);
  if (t.data.length !== 1) throw new Unsupported(`${what} must be a scalar`);
  return numbers(t)[0];
}

const clip: Translate = (ctx, node) => {
  const [min, max] = ctx.opset < 11 ? [node.attrs.float('min'), node.attrs.float('max')] : [bound(ctx, node.inputs[1], 'min'), bound(ctx, node.inputs[2], 'max')];
  const finite = (v: number | undefined) => (v === undefined || Math.abs(v) >= 3.4e38 ? undefined : v);
  ctx.emitTo(node.outputs[0], 'Clip', [ctx.value(node.inputs[0])], { min: finite(min), max: finite(max) }, node.name);
};

const leakyRelu: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], 'LeakyRelu', [ctx.value(node.inputs[0])], { alpha: node.attrs.float('alpha', 0.01) }, node.name);
};

/** HardSigmoid: y = clip(alpha·x + beta, 0, 1), expanded into Mul, Add and Clip. */
const hardSigmoid: Translate = (ctx, node) => {
  const alpha = node.attrs.float('alpha', 0.2);
  const beta = node.attrs.float('beta', 0.5);
  const scalar = (v: number, hint: string) => ctx.emitTemp(`${node.name}/${hint}`, 'Constant', [], { value: { dtype: 'float32', shape: [], data: new Float32Array([v]) } });
  const scaled = ctx.emitTemp(`${node.name}/scaled`, 'Mul', [ctx.value(node.inputs[0]), scalar(alpha, 'alpha')], {});
  const shifted = ctx.emitTemp(`${node.name}/shifted`, 'Add', [scaled, scalar(beta, 'beta')], {});
  ctx.emitTo(node.outputs[0], 'Clip', [shifted], { min: 0, max: 1 }, node.name);
};

/** A float32 scalar constant for an expansion. */
const scalarOf = (ctx: ImportContext, node: ImportNode, v: number, hint: string) =>
  ctx.emitTemp(`${node.name}/${hint}`, 'Constant', [], { value: { dtype: 'float32', shape: [], data: new Float32Array([v]) } });

/** Elu: y = x for x > 0, alpha·(exp(x) − 1) otherwise; Where over both branches (exp's overflow is not picked). */
const elu: Translate = (ctx, node) => {
  const x = ctx.value(node.inputs[0]);
  const exp = ctx.emitTemp(`${node.name}/exp`, 'Exp', [x], {});
  const negative = ctx.emitTemp(`${node.name}/negative`, 'Mul', [ctx.emitTemp(`${node.name}/expm1`, 'Sub', [exp, scalarOf(ctx, node, 1, 'one')], {}), scalarOf(ctx, node, node.attrs.float('alpha', 1), 'alpha')], {});
  const positive = ctx.emitTemp(`${node.name}/positive`, 'Greater', [x, scalarOf(ctx, node, 0, 'zero')], {});
  ctx.emitTo(node.outputs[0], 'Where', [positive, x, negative], {}, node.name);
};

/** Softplus: y = log(1 + exp(x)), computed as relu(x) + log(1 + exp(−|x|)) so that large |x| cannot overflow. */
const softplus: Translate = (ctx, node) => {
  const x = ctx.value(node.inputs[0]);
  const decay = ctx.emitTemp(`${node.name}/exp`, 'Exp', [ctx.emitTemp(`${node.name}/-abs`, 'Neg', [ctx.emitTemp(`${node.name}/abs`, 'Abs', [x], {})], {})], {});
  const tail = ctx.emitTemp(`${node.name}/log1p`, 'Log', [ctx.emitTemp(`${node.name}/1+`, 'Add', [decay, scalarOf(ctx, node, 1, 'one')], {})], {});
  ctx.emitTo(node.outputs[0], 'Add', [ctx.emitTemp(`${node.name}/relu`, 'Relu', [x], {}), tail], {}, node.name);
};

/** PRelu: y = x for x ≥ 0, slope·x otherwise (slope broadcast to x: per channel as [C, 1, 1], or one value). */
const prelu: Translate = (ctx, node) => {
  const x = ctx.value(node.inputs[0]);
  const scaled = ctx.emitTemp(`${node.name}/scaled`, 'Mul', [x, ctx.value(node.inputs[1])], {});
  const negative = ctx.emitTemp(`${node.name}/negative`, 'Greater', [scalarOf(ctx, node, 0, 'zero'), x], {});
  ctx.emitTo(node.outputs[0], 'Where', [negative, scaled, x], {}, node.name);
};

/**
 * Softmax/LogSoftmax: from opset 13 along one axis (default −1), as in the IR; before, over all dims from
 * `axis` (default 1) flattened together, which is the same when axis is the last dim, else Flatten → op → Reshape.
 */
const softmax: Translate = (ctx, node) => {
  const op = node.opType as 'Softmax';
  const x = ctx.value(node.inputs[0]);
  const rank = x.shape.length;
  if (ctx.opset >= 13) {
    ctx.emitTo(node.outputs[0], op, [x], { axis: node.attrs.int('axis', -1) }, node.name);
    return;
  }
  const axis = node.attrs.int('axis', 1);
  const a = axis < 0 ? axis + rank : axis;
  if (a === rank - 1) {
    ctx.emitTo(node.outputs[0], op, [x], { axis: -1 }, node.name);
    return;
  }
  const symbolic = x.shape.filter((d) => typeof d !== 'number').length;
  if (symbolic > 1) throw new Unsupported(`axis ${axis} of opset ${ctx.opset} over a shape with several symbolic dims`);
  const flat = ctx.emitTemp(`${node.name}/flatten`, 'Flatten', [x], { axis: a });
  const y = ctx.emitTemp(`${node.name}/2d`, op, [flat], { axis: -1 });
  ctx.emitTo(node.outputs[0], 'Reshape', [y], { shape: x.shape.map((d) => (typeof d === 'number' ? d : -1)) }, node.name);
};

/** ReduceSum (axes an input from opset 13) and ReduceMean/ReduceMax (input from opset 18). */
const reduce: Translate = (ctx, node) => {
  const op = node.opType as 'ReduceSum';
  const axesAsInput = op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  let axes = axesAsInput ? (node.inputs[1] ? ctx.constantInts(node.inputs[1], 'axes') : undefined) : node.attrs.ints('axes');
  const keepdims = node.attrs.int('keepdims', 1) === 1;
  if (axes && axes.length === 0) axes = undefined;
  if (!axes && node.attrs.int('noop_with_empty_axes', 0) === 1) {
    ctx.emitTo(node.outputs[0], 'Identity', [ctx.value(node.inputs[0])], {}, node.name);
    return;
  }
  ctx.emitTo(node.outputs[0], op, [ctx.value(node.inputs[0])], axes ? { axes, keepdims } : { keepdims }, node.name);
};

export const ELEMENTWISE_TRANSLATORS: Record<string, Translate> = {
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Sum: sum,
  Greater: comparison,
  Equal: comparison,
  Where: where,
  Clip: clip,
  LeakyRelu: leakyRelu,
  HardSigmoid: hardSigmoid,
  Elu: elu,
  Softplus: softplus,
  PRelu: prelu,
  Softmax: softmax,
  LogSoftmax: softmax,
  ReduceSum: reduce,
  ReduceMean: reduce,
  ReduceMax: reduce,
};
