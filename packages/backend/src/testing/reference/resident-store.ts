/** Resident tensors of the reference backend: host copies behind opaque handles, freed by dispose. */
import type { ResidentTensor } from '../../backend.js';
import { RunError } from '../../errors.js';
import type { ReferenceTensor } from './tensor.js';

export class ResidentStore {
  // undefined marks a disposed handle, so using it later can say so instead of "unknown tensor".
  private readonly tensors = new WeakMap<ResidentTensor, ReferenceTensor | undefined>();
  private count = 0;

  constructor(private readonly backend: string) {}

  /** Wraps a tensor the caller will not mutate afterwards (the interpreter never mutates its tensors). */
  add(tensor: ReferenceTensor): ResidentTensor {
    const handle: ResidentTensor = Object.freeze({ kind: 'resident', backend: this.backend, dtype: tensor.dtype, shape: Object.freeze([...tensor.shape]) });
    this.tensors.set(handle, tensor);
    this.count++;
    return handle;
  }

  /** @throws RunError if the handle belongs to another backend, was disposed, or is unknown. */
  get(handle: ResidentTensor, what: string): ReferenceTensor {
    if (handle.backend !== this.backend) throw new RunError(`${what}: resident tensor belongs to backend "${handle.backend}", not "${this.backend}"`);
    if (!this.tensors.has(handle)) throw new RunError(`${what}: resident tensor is not one of this backend's`);
    const tensor = this.tensors.get(handle);
    if (!tensor) throw new RunError(`${what}: resident tensor was disposed`);
    return tensor;
  }

  dispose(handle: ResidentTensor): void {
    if (this.tensors.get(handle) === undefined) return;
    this.tensors.set(handle, undefined);
    this.count--;
  }

  /** Number of live (not disposed) resident tensors, for leak checks in tests. */
  get live(): number {
    return this.count;
  }
}
