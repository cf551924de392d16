/** Elementwise ops with numpy broadcasting: arithmetic, activations, comparisons and Where. */
import { RunError } from '../../../errors.js';
import type { OpAttrs, OpType } from '../../../ir/types.js';
import { asFloat, broadcastConcrete, broadcastIndex, countOf, floatTensor } from '../tensor.js';
import type { Kernel, KernelTable } from './kernel.js';

function binary<T extends OpType>(f: (a: number, b: number) => number): Kernel<T> {
  return ([a, b], _attrs, { where }) => {
    const x = asFloat(a, where, 'input A');
    const y = asFloat(b, where, 'input B');
    const shape = broadcastConcrete([x.shape, y.shape], where);
    const ia = broadcastIndex(shape, x.shape);
    const ib = broadcastIndex(shape, y.shape);
    const out = new Float64Array(countOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = f(x.data[ia[i]], y.data[ib[i]]);
    return [floatTensor(shape, out)];
  };
}

function unary<T extends OpType>(f: (x: number, attrs: OpAttrs[T]) => number): Kernel<T> {
  return ([a], attrs, { where }) => {
    const x = asFloat(a, where, 'input');
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(x.data[i], attrs);
    return [floatTensor(x.shape, out)];
  };
}

function compare<T extends OpType>(f: (a: number | bigint, b: number | bigint) => boolean): Kernel<T> {
  return ([a, b], _attrs, { where }) => {
    if (!a || !b) throw new RunError(`${where}: needs two inputs`);
    const shape = broadcastConcrete([a.shape, b.shape], where);
    const ia = broadcastIndex(shape, a.shape);
    const ib = broadcastIndex(shape, b.shape);
    const out = new Uint8Array(countOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[ia[i]], b.data[ib[i]]) ? 1 : 0;
    return [{ dtype: 'bool', shape, data: out }];
  };
}

const where: Kernel<'Where'> = ([c, a, b], _attrs, context) => {
  if (!c || c.dtype !== 'bool') throw new RunError(`${context.where}: condition must be bool`);
  const x = asFloat(a, context.where, 'input X');
  const y = asFloat(b, context.where, 'input Y');
  const shape = broadcastConcrete([c.shape, x.shape, y.shape], context.where);
  const ic = broadcastIndex(shape, c.shape);
  const ix = broadcastIndex(shape, x.shape);
  const iy = broadcastIndex(shape, y.shape);
  const out = new Float64Array(countOf(shape));
  const cond = c.data as Uint8Array;
  for (let i = 0; i < out.length; i++) out[i] = cond[ic[i]] ? x.data[ix[i]] : y.data[iy[i]];
  return [floatTensor(shape, out)];
};

type ElementwiseOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Neg' | 'Exp' | 'Log' | 'Sqrt' | 'Abs' | 'Relu' | 'LeakyRelu' | 'Tanh' | 'Sigmoid' | 'Clip' | 'Greater' | 'Equal' | 'Where';

export const ELEMENTWISE_KERNELS: KernelTable<ElementwiseOp> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b),
  Neg: unary((x) => -x),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Sqrt: unary(Math.sqrt),
  Abs: unary(Math.abs),
  Relu: unary((x) => Math.max(x, 0)),
  LeakyRelu: unary<'LeakyRelu'>((x, attrs) => (x >= 0 ? x : (attrs.alpha ?? 0.01) * x)),
  Tanh: unary(Math.tanh),
  // Written through exp(−|x|) so neither branch overflows.
  Sigmoid: unary((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))),
  Clip: unary<'Clip'>((x, attrs) => Math.min(Math.max(x, attrs.min ?? -Infinity), attrs.max ?? Infinity)),
  Greater: compare((a, b) => a > b),
  Equal: compare((a, b) => a === b),
  Where: where,
};
