/**
 * Pools in NHWC. Explicit pads are applied with tf.pad (−∞ for max; for average, the divisor counts only real
 * pixels unless countIncludePad, obtained by pooling a padded ones-mask the same way).
 */
import type { OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import type { Kernel } from './kernel.js';

type Pair = [number, number];

function padSpatial(tf: Tf, x: TfTensor, pads: readonly number[], value: number): TfTensor {
  const [t, l, b, r] = pads;
  return tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]], value);
}

const hasPads = (pads: readonly number[] | undefined): pads is readonly number[] => pads !== undefined && pads.some((p) => p !== 0);

export const poolKernels: Record<string, Kernel> = {
  MaxPool: ({ tf, values }, node) => {
    const { kernelShape, strides, pads } = node.attrs as OpAttrs['MaxPool'];
    let x = values.nhwc(node.inputs[0]);
    if (hasPads(pads)) x = padSpatial(tf, x, pads, -Infinity);
    values.set(node.outputs[0], tf.maxPool(x as any, kernelShape as Pair, (strides ?? [1, 1]) as Pair, 'valid'), 'nhwc');
  },
  AveragePool: ({ tf, values }, node) => {
    const { kernelShape, strides, pads, countIncludePad } = node.attrs as OpAttrs['AveragePool'];
    const x = values.nhwc(node.inputs[0]);
    const s = (strides ?? [1, 1]) as Pair;
    const k = kernelShape as Pair;
    let y: TfTensor;
    if (!hasPads(pads)) {
      y = tf.avgPool(x as any, k, s, 'valid');
    } else if (countIncludePad) {
      y = tf.avgPool(padSpatial(tf, x, pads, 0) as any, k, s, 'valid');
    } else {
      const [, h, w] = x.shape;
      const mask = padSpatial(tf, tf.ones([1, h, w, 1]), pads, 0);
      const sum = tf.avgPool(padSpatial(tf, x, pads, 0) as any, k, s, 'valid');
      y = tf.div(sum, tf.avgPool(mask as any, k, s, 'valid'));
    }
    values.set(node.outputs[0], y, 'nhwc');
  },
  GlobalAveragePool: ({ tf, values }, node) => {
    values.set(node.outputs[0], tf.mean(values.nhwc(node.inputs[0]), [1, 2], true), 'nhwc');
  },
};
