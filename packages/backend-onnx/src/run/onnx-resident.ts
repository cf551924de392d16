/** Resident tensors of the ONNX backend: an ort.Tensor kept between runs, opaque to callers. */
import { RunError, type DType, type ResidentTensor } from '@rank-collapse/backend';
import type { OrtTensor } from '../ort-namespace.js';

export const ONNX_BACKEND_NAME = 'onnx';

export class OnnxResidentTensor implements ResidentTensor {
  readonly kind = 'resident' as const;
  readonly backend = ONNX_BACKEND_NAME;
  #tensor: OrtTensor | undefined;

  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    tensor: OrtTensor,
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
    // CPU tensors hold a JS ArrayBuffer; dropping the reference frees it. dispose() matters on GPU locations.
    this.#tensor?.dispose();
    this.#tensor = undefined;
  }
}
