/** Reductions over axes and the (log-)softmax along one axis. */
import { normalizeAxis, stridesOf } from '../../../ir/shape.js';
import { asFloat, countOf, floatTensor, stridedIndex, type FloatTensor } from '../tensor.js';
import type { Kernel, KernelTable } from './kernel.js';

type Reduction = 'sum' | 'mean' | 'max';

function reduce(x: FloatTensor, attrs: { axes?: readonly number[]; keepdims?: boolean }, kind: Reduction, where: string): FloatTensor {
  const rank = x.shape.length;
  const axes = (attrs.axes ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, rank, where));
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  // Each input element adds into the output element with its reduced coordinates set to 0.
  const keptStrides = stridesOf(kept);
  const target = stridedIndex(x.shape, keptStrides.map((s, i) => (axes.includes(i) ? 0 : s)));
  const out = new Float64Array(countOf(kept)).fill(kind === 'max' ? -Infinity : 0);
  if (kind === 'max') {
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      // NaN propagates, as in numpy's max.
      if (v > out[target[i]] || Number.isNaN(v)) out[target[i]] = v;
    }
  } else {
    for (let i = 0; i < x.data.length; i++) out[target[i]] += x.data[i];
  }
  if (kind === 'mean') {
    const count = x.data.length / out.length;
    for (let i = 0; i < out.length; i++) out[i] /= count;
  }
  const shape = attrs.keepdims ?? true ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return floatTensor(shape, out);
}

/** Softmax or log-softmax along `axis`, with the row maximum subtracted first so exp never overflows. */
function softmax(x: FloatTensor, axisRaw: number | undefined, log: boolean, where: string): FloatTensor {
  const axis = normalizeAxis(axisRaw ?? -1, x.shape.length, where);
  const n = x.shape[axis];
  const inner = countOf(x.shape.slice(axis + 1));
  const outer = countOf(x.shape.slice(0, axis));
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, x.data[base + k * inner]);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(x.data[base + k * inner] - max);
      const logSum = Math.log(sum);
      for (let k = 0; k < n; k++) {
        const shifted = x.data[base + k * inner] - max;
        out[base + k * inner] = log ? shifted - logSum : Math.exp(shifted) / sum;
      }
    }
  }
  return floatTensor(x.shape, out);
}

const reduction =
  <T extends 'ReduceSum' | 'ReduceMean' | 'ReduceMax'>(kind: Reduction): Kernel<T> =>
  ([x], attrs, { where }) => [reduce(asFloat(x, where, 'input'), attrs, kind, where)];

export const REDUCE_KERNELS: KernelTable<'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'Softmax' | 'LogSoftmax'> = {
  ReduceSum: reduction('sum'),
  ReduceMean: reduction('mean'),
  ReduceMax: reduction('max'),
  Softmax: ([x], attrs, { where }) => [softmax(asFloat(x, where, 'input'), attrs.axis, false, where)],
  LogSoftmax: ([x], attrs, { where }) => [softmax(asFloat(x, where, 'input'), attrs.axis, true, where)],
};
