/**
 * ConvTranspose as a stride-1 convolution over the zero-upsampled input with the spatially flipped kernel.
 * tfjs's conv2dTranspose is slow on wasm (environment.md); this form also covers groups, dilations, explicit
 * pads and outputPadding with one code path.
 */
import { convGeometry, type OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import { conv2dNhwc } from './conv.js';
import type { Kernel } from './kernel.js';

/** Inserts stride − 1 zeros between the pixels of an NHWC tensor: [N, (H−1)·sh + 1, (W−1)·sw + 1, C]. */
export function upsampleWithZeros(tf: Tf, x: TfTensor, strides: readonly number[]): TfTensor {
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const spread = tf.pad(tf.reshape(x, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const flat = tf.reshape(spread, [n, h * sh, w * sw, c]);
  return tf.slice(flat, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/** NHWC transposed convolution; `weight` in the IR layout [C, M/group, kh, kw]; returns NHWC. */
export function convTransposeNhwc(tf: Tf, x: TfTensor, weight: TfTensor, attrs: OpAttrs['ConvTranspose']): TfTensor {
  const { strides, dilations, pads, group } = convGeometry(attrs);
  const [pt, pl, pb, pr] = pads;
  const [oph, opw] = attrs.outputPadding ?? [0, 0];
  const [c, mg, kh, kw] = weight.shape;
  // [C, M/g, kh, kw] → per group [kh, kw, C/g, M/g], flipped in both spatial dims, groups side by side on the last axis.
  const grouped = tf.reshape(weight, [group, c / group, mg, kh, kw]);
  const filter = tf.reverse(tf.reshape(tf.transpose(grouped, [3, 4, 1, 0, 2]), [kh, kw, c / group, group * mg]), [0, 1]);
  const fullH = dilations[0] * (kh - 1);
  const fullW = dilations[1] * (kw - 1);
  const before = [fullH - pt, fullW - pl];
  const after = [fullH - pb + oph, fullW - pr + opw];
  const up = upsampleWithZeros(tf, x, strides);
  const padded = tf.pad(up, [[0, 0], [Math.max(0, before[0]), Math.max(0, after[0])], [Math.max(0, before[1]), Math.max(0, after[1])], [0, 0]]);
  let y = conv2dNhwc(tf, padded, filter, { dilations, group });
  if (before.some((p) => p < 0) || after.some((p) => p < 0)) {
    // Pads larger than the kernel reach crop the result instead.
    const [n, h, w, m] = y.shape;
    const top = Math.max(0, -before[0]);
    const left = Math.max(0, -before[1]);
    y = tf.slice(y, [0, top, left, 0], [n, h - top - Math.max(0, -after[0]), w - left - Math.max(0, -after[1]), m]);
  }
  return y;
}

export const convTransposeKernels: Record<string, Kernel> = {
  ConvTranspose: ({ tf, values }, node) => {
    const attrs = node.attrs as OpAttrs['ConvTranspose'];
    let y = convTransposeNhwc(tf, values.nhwc(node.inputs[0]), values.get(node.inputs[1]), attrs);
    if (node.inputs[2]) y = tf.add(y, values.get(node.inputs[2]));
    values.set(node.outputs[0], y, 'nhwc');
  },
};
