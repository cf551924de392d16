/**
 * Conv (IR: NCHW input, OIHW weight) on tfjs's NHWC conv2d with an HWIO filter. Explicit pads use tfjs's
 * explicit-padding form; groups run as depthwise conv when each group has one input channel, else as one
 * conv per group; stride > 1 together with dilation > 1 (which tfjs refuses) dilates the kernel with zeros.
 */
import { convGeometry, type OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import type { Kernel } from './kernel.js';

type Padding = 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

/** tfjs padding argument for pads [top, left, bottom, right]. */
export function tfPadding(pads: readonly number[] | undefined): Padding {
  const [t, l, b, r] = pads ?? [0, 0, 0, 0];
  return t === 0 && l === 0 && b === 0 && r === 0 ? 'valid' : [[0, 0], [t, b], [l, r], [0, 0]];
}

/** Inserts dilation − 1 zeros between the taps of an HWIO filter. */
export function dilateFilter(tf: Tf, filter: TfTensor, dilations: readonly number[]): TfTensor {
  let f = filter;
  for (const axis of [0, 1]) {
    const d = dilations[axis];
    if (d === 1) continue;
    const k = f.shape[axis];
    const parts = tf.split(f, k, axis);
    const zeroShape = [...f.shape];
    zeroShape[axis] = d - 1;
    const zeros = tf.zeros(zeroShape);
    f = tf.concat(parts.flatMap((p, i) => (i < k - 1 ? [p, zeros] : [p])), axis);
  }
  return f;
}

/**
 * NHWC convolution with an HWIO filter per group ([kh, kw, C/group, M]); returns NHWC.
 */
export function conv2dNhwc(
  tf: Tf,
  x: TfTensor,
  filter: TfTensor,
  attrs: OpAttrs['Conv'],
): TfTensor {
  const geo = convGeometry(attrs);
  const strides = geo.strides as [number, number];
  let dilations = geo.dilations as [number, number];
  const group = geo.group;
  const pad = tfPadding(geo.pads);
  let f = filter;
  if ((strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) {
    f = dilateFilter(tf, f, dilations);
    dilations = [1, 1];
  }
  const channels = x.shape[3] as number;
  const outChannels = f.shape[3] as number;
  if (group === 1) return tf.conv2d(x as any, f as any, strides, pad, 'NHWC', dilations);
  if (f.shape[2] === 1 && group === channels) {
    // Depthwise: output channel m reads input channel floor(m / multiplier), the IR's group order.
    const depthwise = tf.reshape(f, [f.shape[0] as number, f.shape[1] as number, channels, outChannels / channels]);
    return tf.depthwiseConv2d(x as any, depthwise as any, strides, pad, 'NHWC', dilations);
  }
  const xs = tf.split(x, group, 3);
  const fs = tf.split(f, group, 3);
  return tf.concat(xs.map((xg, g) => tf.conv2d(xg as any, fs[g] as any, strides, pad, 'NHWC', dilations)), 3);
}

export const convKernels: Record<string, Kernel> = {
  Conv: ({ tf, values }, node) => {
    const attrs = node.attrs as OpAttrs['Conv'];
    const x = values.nhwc(node.inputs[0]);
    const filter = tf.transpose(values.get(node.inputs[1]), [2, 3, 1, 0]);
    let y = conv2dNhwc(tf, x, filter, attrs);
    if (node.inputs[2]) y = tf.add(y, values.get(node.inputs[2]));
    values.set(node.outputs[0], y, 'nhwc');
  },
};
