/** Resident tensors of the ONNX backend: an ort.Tensor kept between runs, opaque to callers. */
import { RunError, type DType, type ResidentTensor } from '@rank-collapse/backend';
import type { OrtTensor } from '../ort-namespace.js';
import type { ResidentPool } from './resident-pool.js';

export const ONNX_BACKEND_NAME = 'onnx';

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
    if (this.pool) this.pool.release(this.dtype, tensor);
    else tensor.dispose();
  }
}
