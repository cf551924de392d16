/** Permutes the dims of a row-major float32 host tensor (weight layout conversions at import time). */
import type { HostTensor } from '@rank-collapse/backend';

export function transposeHost(t: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((p) => t.shape[p]);
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const src = t.data as Float32Array;
  const out = new Float32Array(src.length);
  const index = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.length; k++) {
    let from = 0;
    for (let d = 0; d < rank; d++) from += index[d] * strides[d];
    out[k] = src[from];
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return { dtype: 'float32', shape, data: out };
}
