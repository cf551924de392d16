/** Constructors and checks for host tensors. */
import { GraphError } from './errors.js';
import type { DType, HostTensor, TensorData } from './ir/types.js';

function count(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** A float32 host tensor; `data` defaults to zeros; arrays are copied into a Float32Array. */
export function float32(shape: readonly number[], data?: ArrayLike<number> | Float32Array | Float64Array): HostTensor {
  const n = count(shape);
  const values = data === undefined ? new Float32Array(n) : data instanceof Float32Array || data instanceof Float64Array ? data : Float32Array.from(data);
  return checked({ dtype: 'float32', shape: [...shape], data: values });
}

export function int64(shape: readonly number[], data: ArrayLike<number> | BigInt64Array): HostTensor {
  const values = data instanceof BigInt64Array ? data : BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
  return checked({ dtype: 'int64', shape: [...shape], data: values });
}

export function bool(shape: readonly number[], data: ArrayLike<number | boolean> | Uint8Array): HostTensor {
  const values = data instanceof Uint8Array ? data : Uint8Array.from(Array.from(data, (v) => (v ? 1 : 0)));
  return checked({ dtype: 'bool', shape: [...shape], data: values });
}

/** Throws if data length or array type does not match dtype and shape. */
export function checked(t: HostTensor, what = 'tensor'): HostTensor {
  const ok: Record<DType, (d: TensorData) => boolean> = {
    float32: (d) => d instanceof Float32Array || d instanceof Float64Array,
    int64: (d) => d instanceof BigInt64Array,
    bool: (d) => d instanceof Uint8Array,
  };
  if (!ok[t.dtype](t.data)) throw new GraphError(`${what}: ${t.data.constructor.name} data does not fit dtype ${t.dtype}`);
  const n = count(t.shape);
  if (t.data.length !== n) throw new GraphError(`${what}: shape [${t.shape}] needs ${n} elements, data has ${t.data.length}`);
  return t;
}

/** Element count of a host tensor's shape. */
export const elementCount = (t: { shape: readonly number[] }): number => count(t.shape);
