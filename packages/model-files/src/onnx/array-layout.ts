/** Layout operations on row-major float64 host arrays: the constant folder and the matrix readers share them. */
import { sizeOf, stridesOf } from '@rank-collapse/backend';

export { sizeOf, stridesOf };

/** `data` (of `shape`) with its axes permuted: output axis i is input axis perm[i]. */
export function permute(data: Float64Array, shape: readonly number[], perm: readonly number[]): Float64Array {
  if (perm.every((p, i) => p === i)) return data;
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  return gather(data, outShape, strides, 0);
}

/** The transpose of a rows×cols row-major matrix. */
export function transpose2d(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Elements at offset + Σ index_k·strides[k] for every index of `shape`, in row-major order. */
export function gather(data: Float64Array, shape: readonly number[], strides: readonly number[], offset: number): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  const rank = shape.length;
  if (out.length === 0) return out;
  const index = new Array<number>(rank).fill(0);
  let at = offset;
  for (let n = 0; n < out.length; n++) {
    out[n] = data[at];
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      at += strides[k];
      if (index[k] < shape[k]) break;
      at -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}
