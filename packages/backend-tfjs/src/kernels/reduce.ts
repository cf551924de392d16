/** Reductions and (log-)softmax. */
import type { OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import type { Kernel } from './kernel.js';

type ReduceAttrs = OpAttrs['ReduceSum'];

function reduce(f: (tf: Tf, x: TfTensor, axes: number[], keep: boolean) => TfTensor): Kernel {
  return ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const { axes, keepdims = true } = node.attrs as ReduceAttrs;
    const resolved = (axes ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    // An empty axis list reduces nothing (the op's shape inference says so too).
    values.set(node.outputs[0], resolved.length === 0 ? x : f(tf, x, resolved, keepdims));
  };
}

function softmaxLike(log: boolean): Kernel {
  return ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const raw = (node.attrs as OpAttrs['Softmax']).axis ?? -1;
    const axis = raw < 0 ? raw + x.rank : raw;
    let y: TfTensor;
    if (axis === x.rank - 1) {
      y = log ? tf.logSoftmax(x) : tf.softmax(x);
    } else {
      const shifted = tf.sub(x, tf.max(x, axis, true));
      const sum = tf.sum(tf.exp(shifted), axis, true);
      y = log ? tf.sub(shifted, tf.log(sum)) : tf.div(tf.exp(shifted), sum);
    }
    values.set(node.outputs[0], y);
  };
}

export const reduceKernels: Record<string, Kernel> = {
  ReduceSum: reduce((tf, x, axes, keep) => tf.sum(x, axes, keep)),
  ReduceMean: reduce((tf, x, axes, keep) => tf.mean(x, axes, keep)),
  ReduceMax: reduce((tf, x, axes, keep) => tf.max(x, axes, keep)),
  Softmax: softmaxLike(false),
  LogSoftmax: softmaxLike(true),
};
