/** Gradient rules of the elementwise ops (broadcasting binary ops reduce their gradient back to each operand). */
import { dy0, input, type RuleTable } from './rule.js';

export const elementwiseRules: RuleTable = {
  Add: (c) => {
    const g = dy0(c);
    return [c.needs[0] ? c.e.unbroadcast(g, input(c, 0).shape) : undefined, c.needs[1] ? c.e.unbroadcast(g, input(c, 1).shape) : undefined];
  },
  Sub: (c) => {
    const g = dy0(c);
    return [c.needs[0] ? c.e.unbroadcast(g, input(c, 0).shape) : undefined, c.needs[1] ? c.e.unbroadcast(c.e.neg(g), input(c, 1).shape) : undefined];
  },
  Mul: (c) => {
    const [a, b] = [input(c, 0), input(c, 1)];
    const g = dy0(c);
    return [c.needs[0] ? c.e.unbroadcast(c.e.mul(g, b), a.shape) : undefined, c.needs[1] ? c.e.unbroadcast(c.e.mul(g, a), b.shape) : undefined];
  },
  Div: (c) => {
    const [a, b] = [input(c, 0), input(c, 1)];
    const g = dy0(c);
    // d(a/b)/db = −(a/b)/b: reuses the forward output instead of squaring b.
    return [
      c.needs[0] ? c.e.unbroadcast(c.e.div(g, b), a.shape) : undefined,
      c.needs[1] ? c.e.unbroadcast(c.e.neg(c.e.div(c.e.mul(g, c.outputs[0]), b)), b.shape) : undefined,
    ];
  },
  Neg: (c) => [c.e.neg(dy0(c))],
  Exp: (c) => [c.e.mul(dy0(c), c.outputs[0])],
  Log: (c) => [c.e.div(dy0(c), input(c, 0))],
  Sqrt: (c) => [c.e.scale(c.e.div(dy0(c), c.outputs[0]), 0.5)],
  Abs: (c) => {
    const x = input(c, 0);
    const g = dy0(c);
    const zero = c.e.scalar(0);
    // sign(x)·g with sign(0) = 0, as the op catalogue defines.
    return [c.e.where(c.e.greater(x, zero), g, c.e.mask(c.e.greater(zero, x), c.e.neg(g)))];
  },
  // Masked by the output (relu(x) > 0 exactly where x > 0): the pre-activation then feeds nothing but the Relu,
  // which lets runtimes fuse it into the producing Gemm or Conv.
  Relu: (c) => [c.e.mask(c.e.greater(c.outputs[0], c.e.scalar(0)), dy0(c))],
  LeakyRelu: (c) => {
    const alpha = c.node.attrs.alpha ?? 0.01;
    const g = dy0(c);
    return [c.e.where(c.e.greater(c.e.scalar(0), input(c, 0)), c.e.scale(g, alpha), g)];
  },
  Tanh: (c) => {
    const y = c.outputs[0];
    return [c.e.mul(dy0(c), c.e.sub(c.e.scalar(1), c.e.mul(y, y)))];
  },
  Sigmoid: (c) => {
    const y = c.outputs[0];
    return [c.e.mul(c.e.mul(dy0(c), y), c.e.sub(c.e.scalar(1), y))];
  },
  Clip: (c) => {
    const x = input(c, 0);
    let g = dy0(c);
    // Gradient 1 strictly inside (min, max): one mask per present bound.
    if (c.node.attrs.min !== undefined) g = c.e.mask(c.e.greater(x, c.e.scalar(c.node.attrs.min)), g);
    if (c.node.attrs.max !== undefined) g = c.e.mask(c.e.greater(c.e.scalar(c.node.attrs.max), x), g);
    return [g];
  },
  Where: (c) => {
    const cond = input(c, 0);
    const g = dy0(c);
    const zero = c.e.scalar(0);
    return [
      undefined,
      c.needs[1] ? c.e.unbroadcast(c.e.where(cond, g, zero), input(c, 1).shape) : undefined,
      c.needs[2] ? c.e.unbroadcast(c.e.where(cond, zero, g), input(c, 2).shape) : undefined,
    ];
  },
  Identity: (c) => [dy0(c)],
};
