/** Host tensors ↔ ort.Tensor without copies where the data layout allows (float32, int64, bool). */
import { RunError, isResident, type DType, type Feed, type HostTensor } from '@rank-collapse/backend';
import type { OrtNamespace, OrtTensor } from '../ort-namespace.js';
import { asFloat32 } from '@rank-collapse/model-files/onnx';
import { ONNX_BACKEND_NAME, OnnxResidentTensor } from './onnx-resident.js';

/** Wraps host data as an ort.Tensor: Float32Array, BigInt64Array and Uint8Array are shared, Float64Array converted. */
export function toOrtTensor(ort: OrtNamespace, t: HostTensor): OrtTensor {
  const dims = t.shape as number[];
  if (t.dtype === 'float32') return new ort.Tensor('float32', asFloat32(t.data), dims);
  if (t.dtype === 'int64') return new ort.Tensor('int64', t.data as BigInt64Array, dims);
  return new ort.Tensor('bool', t.data as Uint8Array, dims);
}

const DTYPE_OF: Record<string, DType> = { float32: 'float32', int64: 'int64', bool: 'bool' };

/** The IR dtype of a runtime tensor. @throws RunError for types the IR lacks. */
export function dtypeOf(t: OrtTensor, what: string): DType {
  const d = DTYPE_OF[t.type];
  if (!d) throw new RunError(`${what}: runtime tensor type ${t.type} has no IR dtype`);
  return d;
}

/** A host tensor sharing the runtime tensor's CPU data (no copy). */
export function fromOrtTensor(t: OrtTensor, what: string): HostTensor {
  const dtype = dtypeOf(t, what);
  const data = t.data as HostTensor['data'];
  return { dtype, shape: [...t.dims], data: dtype === 'bool' && !(data instanceof Uint8Array) ? Uint8Array.from(data as ArrayLike<number>) : data };
}

/** The runtime tensor of a feed. @throws RunError for another backend's resident or a disposed one. */
export function feedTensor(ort: OrtNamespace, feed: Feed, what: string): OrtTensor {
  if (!isResident(feed)) return toOrtTensor(ort, feed);
  if (!(feed instanceof OnnxResidentTensor)) throw new RunError(`${what}: resident tensor belongs to backend "${feed.backend}", not "${ONNX_BACKEND_NAME}"`);
  return feed.tensor(what);
}
