/** Resident tensors of the tfjs backend: a kept tf.Tensor behind an opaque handle. */
import { RunError, type DType, type ResidentTensor } from '@rank-collapse/backend';
import type { TfTensor } from './tf-namespace.js';

const tensors = new WeakMap<ResidentTensor, { tensor: TfTensor | undefined }>();

/** Wraps a tensor that the caller has kept out of every tidy scope. */
export function wrapResident(backend: string, dtype: DType, tensor: TfTensor): ResidentTensor {
  const handle: ResidentTensor = { kind: 'resident', backend, dtype, shape: [...tensor.shape] };
  tensors.set(handle, { tensor });
  return handle;
}

/**
 * The tensor behind a handle of this backend.
 * @throws RunError when the handle belongs to another backend or was disposed.
 */
export function unwrapResident(backend: string, handle: ResidentTensor, what: string): TfTensor {
  const entry = tensors.get(handle);
  if (!entry || handle.backend !== backend) throw new RunError(`${what}: resident tensor of backend "${handle.backend}" passed to "${backend}"`);
  if (!entry.tensor || entry.tensor.isDisposed) throw new RunError(`${what}: resident tensor was disposed`);
  return entry.tensor;
}

/** Frees the tensor; disposing twice is harmless. */
export function disposeResident(handle: ResidentTensor): void {
  const entry = tensors.get(handle);
  if (!entry?.tensor) return;
  entry.tensor.dispose();
  entry.tensor = undefined;
}
