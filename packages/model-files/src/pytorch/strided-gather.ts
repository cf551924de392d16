/**
 * Copies a strided view of a flat array into a new row-major array: how a PyTorch view (transpose, slice with
 * an offset or a step) and a transposed embedding table are read.
 */

/**
 * @param values the storage, already decoded
 * @param offset index in `values` of element (0, …, 0)
 * @param shape the view's shape
 * @param strides elements to step per index of each axis (non-negative)
 * @returns Π shape values, row-major, of the same array type as `values`; `values` itself when the view is
 * all of it, contiguous
 * @throws RangeError if an element falls outside `values` (callers check the extent first, with a message)
 */
export function stridedGather<T extends Float32Array | Float64Array>(values: T, offset: number, shape: readonly number[], strides: readonly number[]): T {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count === 0) return new (values.constructor as new (n: number) => T)(0);
  if (offset === 0 && count === values.length && isRowMajor(shape, strides)) return values;
  const extent = offset + shape.reduce((sum, d, a) => sum + (d - 1) * strides[a], 0);
  if (offset < 0 || extent >= values.length) throw new RangeError(`view reaches element ${extent} of a storage of ${values.length}`);
  const out = new (values.constructor as new (n: number) => T)(count);
  const rank = shape.length;
  if (rank === 0) {
    out[0] = values[offset];
    return out;
  }
  // Odometer over all axes but the last, the last one as the inner loop.
  const inner = shape[rank - 1];
  const step = strides[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let base = offset;
  let k = 0;
  for (;;) {
    for (let j = 0, p = base; j < inner; j++, p += step) out[k++] = values[p];
    let a = rank - 2;
    for (; a >= 0; a--) {
      index[a]++;
      base += strides[a];
      if (index[a] < shape[a]) break;
      base -= strides[a] * shape[a];
      index[a] = 0;
    }
    if (a < 0) return out;
  }
}

/** Whether `strides` are those of a contiguous row-major array of `shape` (axes of length 1 ignored). */
export function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    if (shape[a] !== 1 && strides[a] !== expected) return false;
    expected *= shape[a];
  }
  return true;
}
