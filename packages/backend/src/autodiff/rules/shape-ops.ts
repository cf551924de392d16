/** Gradient rules of the data-movement ops: each routes the gradient back to where the data came from. */
import { GraphError } from '../../errors.js';
import type { Value } from '../../ir/builder.js';
import { sliceRange } from '../../ir/ops.js';
import { formatShape, normalizeAxis } from '../../ir/shape.js';
import type { GradEmitter } from '../grad-emitter.js';
import { dy0, input, type RuleTable } from './rule.js';

/** Far enough past any dim to mean "to the end" in a reversed Slice. */
const BEFORE_START = -Number.MAX_SAFE_INTEGER;

/**
 * Scatters `g` (count elements along `axis`, taken from positions start + i·step of a dim of size `dim`) back
 * into zeros of size `dim`: reverse for negative steps, interleave zeros for |step| > 1, then Pad.
 */
function unslice(e: GradEmitter, g: Value, axis: number, dim: number, start: number, step: number, count: number): Value {
  const rank = g.shape.length;
  const s = Math.abs(step);
  let first = start;
  let v = g;
  if (step < 0) {
    v = e.slice(v, { starts: [-1], ends: [BEFORE_START], axes: [axis], steps: [-1] });
    first = start - (count - 1) * s;
  }
  let length = count;
  if (s > 1) {
    // [.., count, ..] → [.., count, 1, ..] → pad to [.., count, s, ..] → [.., count·s, ..]: element i lands at i·s.
    const u = e.unsqueeze(v, [axis + 1]);
    const pads = new Array<number>(2 * (rank + 1)).fill(0);
    pads[rank + 1 + axis + 1] = s - 1;
    const shape = [...v.shape];
    shape[axis] = count * s;
    v = e.reshape(e.pad(u, pads), shape);
    length = Math.min(count * s, dim - first);
    if (length < count * s) v = e.slice(v, { starts: [0], ends: [length], axes: [axis] });
  }
  const pads = new Array<number>(2 * rank).fill(0);
  pads[axis] = first;
  pads[rank + axis] = dim - first - length;
  return e.pad(v, pads);
}

export const shapeRules: RuleTable = {
  Reshape: (c) => [c.e.reshape(dy0(c), input(c, 0).shape)],
  Flatten: (c) => [c.e.reshape(dy0(c), input(c, 0).shape)],
  Transpose: (c) => {
    const rank = input(c, 0).shape.length;
    const perm = c.node.attrs.perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [c.e.transpose(dy0(c), inverse)];
  },
  Squeeze: (c) => {
    const rank = input(c, 0).shape.length;
    const axes = c.node.attrs.axes.map((a) => normalizeAxis(a, rank, c.where)).sort((p, q) => p - q);
    return [c.e.unsqueeze(dy0(c), axes)];
  },
  Unsqueeze: (c) => {
    const rank = c.outputs[0].shape.length;
    const axes = c.node.attrs.axes.map((a) => normalizeAxis(a, rank, c.where));
    return [c.e.op('Squeeze', [dy0(c)], { axes })];
  },
  Expand: (c) => [c.e.unbroadcast(dy0(c), input(c, 0).shape)],
  Concat: (c) => {
    const g = dy0(c);
    const axis = normalizeAxis(c.node.attrs.axis, g.shape.length, c.where);
    let offset = 0;
    return c.inputs.map((x, i) => {
      const d = x!.shape[axis];
      if (typeof d !== 'number') throw new GraphError(`${c.where}: cannot differentiate a Concat along symbolic dim ${d} of ${formatShape(x!.shape)}`);
      const start = offset;
      offset += d;
      return c.needs[i] ? c.e.slice(g, { starts: [start], ends: [start + d], axes: [axis] }) : undefined;
    });
  },
  Slice: (c) => {
    const x = input(c, 0);
    const { starts, ends } = c.node.attrs;
    const axes = c.node.attrs.axes ?? starts.map((_, i) => i);
    const steps = c.node.attrs.steps ?? starts.map(() => 1);
    let g = dy0(c);
    for (let i = 0; i < axes.length; i++) {
      const axis = normalizeAxis(axes[i], x.shape.length, c.where);
      const dim = x.shape[axis] as number;
      const [start, , step, count] = sliceRange(dim, starts[i], ends[i], steps[i], c.where);
      if (count === 0) return [c.e.zeros(x.shape)];
      g = unslice(c.e, g, axis, dim, start, step, count);
    }
    return [g];
  },
  Pad: (c) => {
    const x = input(c, 0);
    const r = x.shape.length;
    const { pads } = c.node.attrs;
    const axes = x.shape.flatMap((_, i) => (pads[i] + pads[i + r] > 0 ? [i] : []));
    if (axes.length === 0) return [dy0(c)];
    const starts = axes.map((i) => pads[i]);
    const ends = axes.map((i) => pads[i] + (x.shape[i] as number));
    return [c.e.slice(dy0(c), { starts, ends, axes })];
  },
};
