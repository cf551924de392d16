/**
 * BatchNormalization per the IR doc: inference uses the running statistics; training normalizes with the
 * batch statistics (biased variance) and returns running mean/var updated with momentum (unbiased variance).
 * Works in NHWC (channel last) when the input is held that way, else in the IR layout (channel axis 1).
 */
import type { OpAttrs } from '@rank-collapse/backend';
import type { TfTensor } from '../tf-namespace.js';
import type { Kernel } from './kernel.js';

export const batchNormKernels: Record<string, Kernel> = {
  BatchNormalization: ({ tf, values }, node) => {
    const { epsilon = 1e-5, momentum = 0.9, training = false } = node.attrs as OpAttrs['BatchNormalization'];
    const [xName, scaleName, biasName, meanName, varName] = node.inputs;
    const nhwc = values.isNhwc(xName);
    const x = nhwc ? values.nhwc(xName) : values.get(xName);
    const channelAxis = nhwc ? 3 : 1;
    // Per-channel vectors shaped to broadcast along the channel axis.
    const perChannel = (t: TfTensor) => (channelAxis === x.rank - 1 ? t : tf.reshape(t, [t.shape[0], ...Array(x.rank - 2).fill(1)]));
    const scale = perChannel(values.get(scaleName));
    const bias = perChannel(values.get(biasName));
    const layout = nhwc ? 'nhwc' : 'canonical';
    if (!training) {
      const inv = tf.rsqrt(tf.add(perChannel(values.get(varName)), tf.scalar(epsilon)));
      const y = tf.add(tf.mul(tf.mul(tf.sub(x, perChannel(values.get(meanName))), inv), scale), bias);
      values.set(node.outputs[0], y, layout);
      return;
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== channelAxis);
    const count = axes.reduce((p, a) => p * x.shape[a], 1);
    const { mean, variance } = tf.moments(x, axes, true);
    const y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, tf.scalar(epsilon)))), scale), bias);
    values.set(node.outputs[0], y, layout);
    const batchMean = tf.reshape(mean, [-1]);
    const unbiased = tf.mul(tf.reshape(variance, [-1]), tf.scalar(count / Math.max(count - 1, 1)));
    const m = tf.scalar(momentum);
    const rest = tf.scalar(1 - momentum);
    values.set(node.outputs[1], tf.add(tf.mul(values.get(meanName), m), tf.mul(batchMean, rest)));
    values.set(node.outputs[2], tf.add(tf.mul(values.get(varName), m), tf.mul(unbiased, rest)));
  },
};
