/**
 * Host tensors ↔ tfjs tensors. int64 lives as int32 inside tfjs (tfjs has no 64-bit integers): values outside
 * the int32 range are refused on upload; downloads widen back to BigInt64Array. bool is tfjs bool (Uint8Array).
 */
import { RunError, type DType, type HostTensor } from '@rank-collapse/backend';
import type { Tf, TfTensor } from './tf-namespace.js';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Creates a tfjs tensor from a host tensor. @throws RunError for int64 values outside the int32 range. */
export function toTfTensor(tf: Tf, host: HostTensor, what = 'tensor'): TfTensor {
  const shape = [...host.shape];
  switch (host.dtype) {
    case 'float32':
      return tf.tensor(host.data instanceof Float32Array ? host.data : Float32Array.from(host.data as Float64Array), shape, 'float32');
    case 'int64': {
      const data = host.data as BigInt64Array;
      const out = new Int32Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v < INT32_MIN || v > INT32_MAX) throw new RunError(`${what}: int64 value ${v} at index ${i} does not fit the int32 that tfjs uses for int64`);
        out[i] = Number(v);
      }
      return tf.tensor(out, shape, 'int32');
    }
    case 'bool':
      return tf.tensor(host.data as Uint8Array, shape, 'bool');
  }
}

/** Reads a tfjs tensor back as a host tensor of the IR dtype. */
export async function toHostTensor(tensor: TfTensor, dtype: DType): Promise<HostTensor> {
  const values = await tensor.data();
  const shape = [...tensor.shape];
  switch (dtype) {
    case 'float32':
      return { dtype, shape, data: values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>) };
    case 'int64':
      return { dtype, shape, data: BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(v))) };
    case 'bool':
      return { dtype, shape, data: values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>) };
  }
}

/** The tfjs dtype that carries an IR dtype. */
export const tfDtypeOf = (dtype: DType): 'float32' | 'int32' | 'bool' => (dtype === 'int64' ? 'int32' : dtype);
