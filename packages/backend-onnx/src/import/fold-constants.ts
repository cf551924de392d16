/**
 * Import-time evaluation of the small integer computations exporters emit around reshapes
 * (Shape → Gather → Unsqueeze → Concat → Reshape, Cast, ConstantOfShape, elementwise int math).
 * Only what is cheap and exact; anything else stays a graph op or is reported as unsupported.
 */
import { broadcastShapes, sliceRange, stridesOf, type HostTensor } from '@rank-collapse/backend';
import { Unsupported } from './import-context.js';

const count = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Values as plain numbers (int64 read exactly up to 2^53). */
export const numbers = (t: HostTensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

/** A host tensor of `dtype` from numbers. */
export function tensorOf(dtype: HostTensor['dtype'], shape: readonly number[], values: readonly number[]): HostTensor {
  if (dtype === 'int64') return { dtype, shape: [...shape], data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))) };
  if (dtype === 'bool') return { dtype, shape: [...shape], data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
  return { dtype, shape: [...shape], data: Float32Array.from(values) };
}

export const int64s = (values: readonly number[], shape: readonly number[] = [values.length]): HostTensor => tensorOf('int64', shape, values);

/** numpy-style elementwise op with broadcasting, result in `a`'s dtype. */
export function foldBinary(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): HostTensor {
  const shape = broadcastShapes(a.shape, b.shape, 'constant folding') as number[];
  const [va, vb] = [numbers(a), numbers(b)];
  const index = (t: HostTensor, flat: number): number => {
    const strides = stridesOf(t.shape as number[]);
    let rest = flat;
    let at = 0;
    const outStrides = stridesOf(shape);
    const offset = shape.length - t.shape.length;
    for (let d = 0; d < shape.length; d++) {
      const i = Math.floor(rest / outStrides[d]);
      rest -= i * outStrides[d];
      if (d >= offset && t.shape[d - offset] !== 1) at += i * strides[d - offset];
    }
    return at;
  };
  const out = Array.from({ length: count(shape) }, (_, i) => f(va[index(a, i)], vb[index(b, i)]));
  return tensorOf(a.dtype, shape, out);
}

/** Gather along `axis` with constant indices (negative indices count from the end). */
export function foldGather(data: HostTensor, indices: HostTensor, axis: number): HostTensor {
  const rank = data.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  const dim = data.shape[ax];
  const idx = numbers(indices).map((i) => (i < 0 ? i + dim : i));
  if (idx.some((i) => i < 0 || i >= dim)) throw new Unsupported(`Gather indices [${numbers(indices)}] out of range for dim ${dim}`);
  const outer = count(data.shape.slice(0, ax));
  const inner = count(data.shape.slice(ax + 1));
  const values = numbers(data);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of idx) for (let k = 0; k < inner; k++) out.push(values[(o * dim + i) * inner + k]);
  return tensorOf(data.dtype, [...data.shape.slice(0, ax), ...indices.shape, ...data.shape.slice(ax + 1)], out);
}

/** Concat of constants along `axis`. */
export function foldConcat(parts: readonly HostTensor[], axis: number): HostTensor {
  const rank = parts[0].shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  const outer = count(parts[0].shape.slice(0, ax));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = count(p.shape.slice(ax));
      out.push(...numbers(p).slice(o * chunk, (o + 1) * chunk));
    }
  }
  const shape = [...parts[0].shape];
  shape[ax] = parts.reduce((s, p) => s + p.shape[ax], 0);
  return tensorOf(parts[0].dtype, shape, out);
}

/** 1-D Slice of a constant. */
export function foldSlice1d(data: HostTensor, start: number, end: number, step: number): HostTensor {
  if (data.shape.length !== 1) throw new Unsupported('Slice of a constant of rank > 1');
  const [s, , st, n] = sliceRange(data.shape[0], start, end, step);
  const values = numbers(data);
  return tensorOf(data.dtype, [n], Array.from({ length: n }, (_, i) => values[s + i * st]));
}

/** The same data under a new shape. */
export const reshaped = (t: HostTensor, shape: readonly number[]): HostTensor => ({ dtype: t.dtype, shape: [...shape], data: t.data });
