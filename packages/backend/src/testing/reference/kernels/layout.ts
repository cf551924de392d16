/** Ops that move data without arithmetic: reshapes, transposition, broadcasting, concatenation, slicing, padding. */
import { RunError } from '../../../errors.js';
import { sliceRange } from '../../../ir/ops.js';
import { formatShape, normalizeAxis, resolveReshape, stridesOf } from '../../../ir/shape.js';
import { allocate, broadcastConcrete, broadcastIndex, countOf, gather, stridedIndex, withShape, type ReferenceTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';

function input(t: ReferenceTensor | undefined, where: string): ReferenceTensor {
  if (!t) throw new RunError(`${where}: missing input`);
  return t;
}

/** Writes `source` into `target` at the flat positions `index` (any dtype; both arrays of one kind). */
function scatter(target: ReferenceTensor, source: ReferenceTensor, index: Int32Array): void {
  const to = target.data as Float64Array;
  const from = source.data as Float64Array;
  for (let i = 0; i < index.length; i++) to[index[i]] = from[i];
}

type LayoutOp = 'Reshape' | 'Transpose' | 'Flatten' | 'Squeeze' | 'Unsqueeze' | 'Expand' | 'Concat' | 'Slice' | 'Pad';

export const LAYOUT_KERNELS: KernelTable<LayoutOp> = {
  Reshape: ([x], attrs, { where }) => {
    const t = input(x, where);
    return [withShape(t, resolveReshape(t.shape, attrs.shape, where) as number[])];
  },
  Transpose: ([x], attrs, { where }) => {
    const t = input(x, where);
    const rank = t.shape.length;
    const perm = attrs.perm ?? t.shape.map((_, i) => rank - 1 - i);
    const strides = stridesOf(t.shape);
    const shape = perm.map((p) => t.shape[p]);
    return [gather(t, stridedIndex(shape, perm.map((p) => strides[p])), shape)];
  },
  Flatten: ([x], attrs, { where }) => {
    const t = input(x, where);
    const axis = attrs.axis ?? 1;
    const a = axis < 0 ? axis + t.shape.length : axis;
    return [withShape(t, [countOf(t.shape.slice(0, a)), countOf(t.shape.slice(a))])];
  },
  Squeeze: ([x], attrs, { where }) => {
    const t = input(x, where);
    const axes = attrs.axes.map((a) => normalizeAxis(a, t.shape.length, where));
    for (const a of axes) if (t.shape[a] !== 1) throw new RunError(`${where}: dim ${a} of ${formatShape(t.shape)} is not 1`);
    return [withShape(t, t.shape.filter((_, i) => !axes.includes(i)))];
  },
  Unsqueeze: ([x], attrs, { where }) => {
    const t = input(x, where);
    const rank = t.shape.length + attrs.axes.length;
    const axes = attrs.axes.map((a) => normalizeAxis(a, rank, where));
    const shape: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : t.shape[j++]);
    return [withShape(t, shape)];
  },
  Expand: ([x], attrs, { where, symbols }) => {
    const t = input(x, where);
    const target = attrs.shape.map((d) => {
      if (typeof d === 'number') return d;
      const size = symbols.get(d);
      if (size === undefined) throw new RunError(`${where}: symbolic dim ${d} of the target shape is not bound by any feed`);
      return size;
    });
    const shape = broadcastConcrete([t.shape, target], where);
    return [gather(t, broadcastIndex(shape, t.shape), shape)];
  },
  Concat: (inputs, attrs, { where }) => {
    const first = input(inputs[0], where);
    const axis = normalizeAxis(attrs.axis, first.shape.length, where);
    const parts = inputs.map((t) => input(t, where));
    for (const t of parts) {
      if (t.dtype !== first.dtype || t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        throw new RunError(`${where}: inputs ${parts.map((p) => `${p.dtype}${formatShape(p.shape)}`).join(', ')} do not join along axis ${axis}`);
      }
    }
    const shape = [...first.shape];
    shape[axis] = parts.reduce((s, t) => s + t.shape[axis], 0);
    const out: ReferenceTensor = { dtype: first.dtype, shape, data: allocate(first.dtype, countOf(shape)) };
    const strides = stridesOf(shape);
    let offset = 0;
    for (const t of parts) {
      scatter(out, t, stridedIndex(t.shape, strides, offset * strides[axis]));
      offset += t.shape[axis];
    }
    return [out];
  },
  Slice: ([x], attrs, { where }) => {
    const t = input(x, where);
    const inStrides = stridesOf(t.shape);
    const shape = [...t.shape];
    const strides = [...inStrides];
    let offset = 0;
    const axes = attrs.axes ?? attrs.starts.map((_, i) => i);
    axes.forEach((raw, i) => {
      const axis = normalizeAxis(raw, t.shape.length, where);
      const [start, , step, count] = sliceRange(t.shape[axis], attrs.starts[i], attrs.ends[i], attrs.steps?.[i] ?? 1, where);
      shape[axis] = count;
      strides[axis] = inStrides[axis] * step;
      offset += start * inStrides[axis];
    });
    return [gather(t, stridedIndex(shape, strides, offset), shape)];
  },
  Pad: ([x], attrs, { where }) => {
    const t = input(x, where);
    const rank = t.shape.length;
    if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => p < 0)) throw new RunError(`${where}: pads [${attrs.pads}] do not fit ${formatShape(t.shape)}`);
    const shape = t.shape.map((d, i) => d + attrs.pads[i] + attrs.pads[i + rank]);
    const fill = attrs.value ?? 0;
    const data = allocate(t.dtype, countOf(shape));
    if (t.dtype === 'float32') (data as Float64Array).fill(fill);
    else if (t.dtype === 'int64') (data as BigInt64Array).fill(BigInt(Math.trunc(fill)));
    else (data as Uint8Array).fill(fill ? 1 : 0);
    const out: ReferenceTensor = { dtype: t.dtype, shape, data };
    const strides = stridesOf(shape);
    const offset = strides.reduce((s, stride, i) => s + attrs.pads[i] * stride, 0);
    scatter(out, t, stridedIndex(t.shape, strides, offset));
    return [out];
  },
};
