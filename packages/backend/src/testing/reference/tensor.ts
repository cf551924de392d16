/**
 * The reference interpreter's tensors: float32 values held as Float64Array (the oracle computes in float64),
 * int64 as BigInt64Array, bool as Uint8Array; concrete row-major shapes.
 */
import { RunError } from '../../errors.js';
import { formatShape, stridesOf } from '../../ir/shape.js';
import type { DType, HostTensor } from '../../ir/types.js';

export type ReferenceData = Float64Array | BigInt64Array | Uint8Array;

export interface ReferenceTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: ReferenceData;
}

/** Float tensors as the interpreter sees them. */
export interface FloatTensor extends ReferenceTensor {
  readonly data: Float64Array;
}

export const countOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Zero-filled storage of a dtype. */
export function allocate(dtype: DType, n: number): ReferenceData {
  if (dtype === 'float32') return new Float64Array(n);
  if (dtype === 'int64') return new BigInt64Array(n);
  return new Uint8Array(n);
}

export function floatTensor(shape: readonly number[], data?: Float64Array): FloatTensor {
  return { dtype: 'float32', shape: [...shape], data: data ?? new Float64Array(countOf(shape)) };
}

/** A copy of a host tensor in interpreter form (float32 data widened to float64). */
export function fromHost(t: HostTensor): ReferenceTensor {
  const data = t.dtype === 'float32' ? Float64Array.from(t.data as Float32Array | Float64Array) : t.data.slice();
  return { dtype: t.dtype, shape: [...t.shape], data: data as ReferenceData };
}

/** A copy of an interpreter tensor as a host tensor (float32 values stay in a Float64Array). */
export function toHost(t: ReferenceTensor): HostTensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
}

/** Narrows to a float tensor; throws RunError naming the op when the dtype is wrong. */
export function asFloat(t: ReferenceTensor | undefined, where: string, what: string): FloatTensor {
  if (!t) throw new RunError(`${where}: missing ${what}`);
  if (t.dtype !== 'float32') throw new RunError(`${where}: ${what} must be float32, got ${t.dtype} ${formatShape(t.shape)}`);
  return t as FloatTensor;
}

/**
 * For every element of an `outShape` tensor (row-major order), the flat index `offset + Σ i_d · strides[d]`.
 * One primitive for broadcasting (stride 0), transposition (permuted strides), slicing (scaled strides plus
 * an offset) and scattering into a larger tensor (padding, concatenation).
 */
export function stridedIndex(outShape: readonly number[], strides: readonly number[], offset = 0): Int32Array {
  const rank = outShape.length;
  const n = countOf(outShape);
  const index = new Int32Array(n);
  if (n === 0) return index;
  const counter = new Array<number>(rank).fill(0);
  let at = offset;
  for (let k = 0; k < n; k++) {
    index[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += strides[d];
      if (counter[d] < outShape[d]) break;
      at -= strides[d] * outShape[d];
      counter[d] = 0;
    }
  }
  return index;
}

/** Concrete numpy broadcast of shapes; throws RunError naming the op. */
export function broadcastConcrete(shapes: readonly (readonly number[])[], where: string): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    s.forEach((d, i) => {
      const o = out[offset + i];
      if (d === o || d === 1) return;
      if (o === 1) out[offset + i] = d;
      else throw new RunError(`${where}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast`);
    });
  }
  return out;
}

/** Source index into a tensor of `inShape` for each element of the broadcast result `outShape`. */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const offset = outShape.length - inShape.length;
  const inStrides = stridesOf(inShape);
  const strides = outShape.map((_, d) => (d < offset || inShape[d - offset] === 1 ? 0 : inStrides[d - offset]));
  return stridedIndex(outShape, strides);
}

/** out[i] = source[index[i]] for any dtype. */
export function gather(source: ReferenceTensor, index: Int32Array, shape: readonly number[]): ReferenceTensor {
  const data = allocate(source.dtype, index.length);
  const from = source.data;
  // Same array kind on both sides, so the element assignment is type-correct for every dtype.
  const to = data as Float64Array;
  const src = from as Float64Array;
  for (let i = 0; i < index.length; i++) to[i] = src[index[i]];
  return { dtype: source.dtype, shape: [...shape], data };
}

/** The same data under a new shape (the interpreter never mutates tensors after creation, so no copy). */
export const withShape = (t: ReferenceTensor, shape: readonly number[]): ReferenceTensor => ({ dtype: t.dtype, shape: [...shape], data: t.data });
