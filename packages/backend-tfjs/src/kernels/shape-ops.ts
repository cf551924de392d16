/** Shape and data-movement ops: Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Expand, Concat, Slice, Pad. */
import { broadcastShapes, sliceRange, type OpAttrs } from '@rank-collapse/backend';
import { NCHW_TO_NHWC } from '../value-store.js';
import { broadcastFast } from './elementwise.js';
import type { Kernel } from './kernel.js';

const normalize = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

export const shapeKernels: Record<string, Kernel> = {
  Reshape: ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const target = (node.attrs as OpAttrs['Reshape']).shape.map((d, i) => (d === 0 ? x.shape[i] : d));
    values.set(node.outputs[0], tf.reshape(x, target));
  },
  Transpose: ({ tf, values }, node) => {
    const name = node.inputs[0];
    const rank = values.shape(name).length;
    const perm = (node.attrs as OpAttrs['Transpose']).perm ?? [...Array(rank).keys()].reverse();
    if (values.isNhwc(name)) {
      // Compose with the layout change: one transpose of the NHWC tensor instead of two.
      const positionInNhwc = [0, 1, 2, 3].map((axis) => NCHW_TO_NHWC.indexOf(axis as 0 | 1 | 2 | 3));
      values.set(node.outputs[0], tf.transpose(values.nhwc(name), perm.map((p) => positionInNhwc[p])));
    } else {
      values.set(node.outputs[0], tf.transpose(values.get(name), [...perm]));
    }
  },
  Flatten: ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const axis = normalize((node.attrs as OpAttrs['Flatten']).axis ?? 1, x.rank);
    values.set(node.outputs[0], tf.reshape(x, [product(x.shape.slice(0, axis)), product(x.shape.slice(axis))]));
  },
  Squeeze: ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const axes = (node.attrs as OpAttrs['Squeeze']).axes.map((a) => normalize(a, x.rank));
    values.set(node.outputs[0], tf.reshape(x, x.shape.filter((_, i) => !axes.includes(i))));
  },
  Unsqueeze: ({ tf, values }, node) => {
    const x = values.get(node.inputs[0]);
    const { axes: raw } = node.attrs as OpAttrs['Unsqueeze'];
    const rank = x.rank + raw.length;
    const axes = raw.map((a) => normalize(a, rank));
    const shape: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
    values.set(node.outputs[0], tf.reshape(x, shape));
  },
  Expand: ({ tf, values, symbols }, node) => {
    const x = values.get(node.inputs[0]);
    const target = (node.attrs as OpAttrs['Expand']).shape.map((d) => (typeof d === 'number' ? d : (symbols.get(d) ?? 1)));
    const shape = broadcastShapes(x.shape, target, `Expand node "${node.name}"`) as number[];
    values.set(node.outputs[0], broadcastFast(tf, x, shape));
  },
  Concat: ({ tf, values }, node) => {
    const xs = node.inputs.map((n) => values.get(n));
    const axis = normalize((node.attrs as OpAttrs['Concat']).axis, xs[0].rank);
    values.set(node.outputs[0], xs.length === 1 ? xs[0] : tf.concat(xs, axis));
  },
  Slice: ({ tf, values }, node) => {
    const attrs = node.attrs as OpAttrs['Slice'];
    let x = values.get(node.inputs[0]);
    const axes = attrs.axes ?? attrs.starts.map((_, i) => i);
    const begin = x.shape.map(() => 0);
    const size = [...x.shape];
    const strided: [number, number[]][] = [];
    axes.forEach((raw, i) => {
      const axis = normalize(raw, x.rank);
      const [start, , step, count] = sliceRange(x.shape[axis], attrs.starts[i], attrs.ends[i], attrs.steps?.[i] ?? 1);
      if (step === 1) {
        begin[axis] = start;
        size[axis] = count;
      } else {
        strided.push([axis, Array.from({ length: count }, (_, k) => start + k * step)]);
      }
    });
    x = tf.slice(x, begin, size);
    for (const [axis, indices] of strided) x = tf.gather(x, tf.tensor1d(indices, 'int32'), axis);
    values.set(node.outputs[0], x);
  },
  Pad: ({ tf, values }, node) => {
    const { pads, value = 0 } = node.attrs as OpAttrs['Pad'];
    const x = values.get(node.inputs[0]);
    const pairs = x.shape.map((_, i) => [pads[i], pads[i + x.rank]] as [number, number]);
    values.set(node.outputs[0], tf.pad(x, pairs, value));
  },
};
