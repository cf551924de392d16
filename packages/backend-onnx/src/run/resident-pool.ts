/**
 * Buffers of disposed resident tensors, handed back to onnxruntime as pre-allocated outputs of the next
 * run. A training loop that disposes the previous step's params then allocates nothing per step: the
 * update kernels write straight into recycled buffers.
 */
import type { DType } from '@rank-collapse/backend';
import type { OrtTensor } from '../ort-namespace.js';

export class ResidentPool {
  private readonly free = new Map<string, OrtTensor[]>();
  private bytes = 0;

  constructor(
    /** Upper bound of pooled memory; beyond it disposed buffers are released. */
    private readonly maxBytes: number,
  ) {}

  private static key(dtype: DType, shape: readonly number[]): string {
    return `${dtype}[${shape.join(',')}]`;
  }

  /** Keeps a tensor the caller disposed (CPU tensors only), unless the pool is full. */
  release(dtype: DType, tensor: OrtTensor): void {
    const size = (tensor.data as ArrayBufferView | undefined)?.byteLength ?? 0;
    if (tensor.location !== 'cpu' || this.bytes + size > this.maxBytes) {
      tensor.dispose();
      return;
    }
    const key = ResidentPool.key(dtype, tensor.dims);
    const list = this.free.get(key) ?? [];
    list.push(tensor);
    this.free.set(key, list);
    this.bytes += size;
  }

  /** A recycled tensor of this dtype and shape, or undefined. */
  take(dtype: DType, shape: readonly number[]): OrtTensor | undefined {
    const list = this.free.get(ResidentPool.key(dtype, shape));
    const tensor = list?.pop();
    if (tensor) this.bytes -= (tensor.data as ArrayBufferView).byteLength;
    return tensor;
  }

  clear(): void {
    for (const list of this.free.values()) for (const t of list) t.dispose();
    this.free.clear();
    this.bytes = 0;
  }
}
