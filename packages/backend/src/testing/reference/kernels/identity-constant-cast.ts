/** Identity, Constant and Cast. */
import { RunError } from '../../../errors.js';
import type { DType } from '../../../ir/types.js';
import { allocate, fromHost, type ReferenceTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';

/** One element as a JS number (int64 through Number, bool as 0/1). */
const numberAt = (t: ReferenceTensor, i: number): number => Number(t.data[i]);

function cast(t: ReferenceTensor, to: DType, where: string): ReferenceTensor {
  const n = t.data.length;
  const data = allocate(to, n);
  if (to === 'float32') {
    const out = data as Float64Array;
    for (let i = 0; i < n; i++) out[i] = numberAt(t, i);
  } else if (to === 'int64') {
    const out = data as BigInt64Array;
    if (t.dtype === 'int64') out.set(t.data as BigInt64Array);
    else {
      for (let i = 0; i < n; i++) {
        const v = numberAt(t, i);
        if (!Number.isFinite(v)) throw new RunError(`${where}: cannot cast ${v} to int64`);
        out[i] = BigInt(Math.trunc(v));
      }
    }
  } else {
    const out = data as Uint8Array;
    // Any non-zero value (NaN included, as in numpy) is true.
    for (let i = 0; i < n; i++) out[i] = t.dtype === 'int64' ? ((t.data as BigInt64Array)[i] !== 0n ? 1 : 0) : numberAt(t, i) !== 0 ? 1 : 0;
  }
  return { dtype: to, shape: [...t.shape], data };
}

export const IDENTITY_CONSTANT_CAST_KERNELS: KernelTable<'Identity' | 'Constant' | 'Cast'> = {
  Identity: ([x], _attrs, { where }) => {
    if (!x) throw new RunError(`${where}: missing input`);
    return [x];
  },
  Constant: (_inputs, attrs) => [fromHost(attrs.value)],
  Cast: ([x], attrs, { where }) => {
    if (!x) throw new RunError(`${where}: missing input`);
    return [cast(x, attrs.to, where)];
  },
};
