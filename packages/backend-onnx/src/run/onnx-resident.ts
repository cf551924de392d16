/** Resident tensors of the ONNX backend: an ort.Tensor kept between runs, opaque to callers. */
import { RunError, type DType, type ResidentTensor } from '@rank-collapse/backend';
import type { OrtTensor } from '../ort-namespace.js';
import type { ResidentPool } from './resident-pool.js';

export const ONNX_BACKEND_NAME = 'onnx';

let nextResidentId = 1;
/** The id of the live resident tensor holding each runtime tensor (worker threads cache params by it). */
export const residentIds = new WeakMap<OrtTensor, number>();
/** Called with the id of every disposed resident tensor (worker threads drop their copies). */
export const residentDisposals = new Set<(id: number) => void>();

export class OnnxResidentTensor implements ResidentTensor {
  readonly kind = 'resident' as const;
  readonly backend = ONNX_BACKEND_NAME;
  #tensor: OrtTensor | undefined;

  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    tensor: OrtTensor,
    /** Where the buffer goes on dispose, for reuse as a pre-allocated output. */
    private readonly pool?: ResidentPool,
  ) {
    this.#tensor = tensor;
    residentIds.set(tensor, nextResidentId++);
  }

  get disposed(): boolean {
    return this.#tensor === undefined;
  }

  /** The runtime tensor. @throws RunError once disposed. */
  tensor(what = 'resident tensor'): OrtTensor {
    if (!this.#tensor) throw new RunError(`${what} was disposed`);
    return this.#tensor;
  }

  dispose(): void {
    const tensor = this.#tensor;
    this.#tensor = undefined;
    if (!tensor) return;
    const id = residentIds.get(tensor);
    residentIds.delete(tensor);
    if (id !== undefined) for (const listener of residentDisposals) listener(id);
    if (this.pool) this.pool.release(this.dtype, tensor);
    else tensor.dispose();
  }
}
