/** Options of `createOnnxBackend`, with their defaults. */
import type { OrtExecutionProvider, OrtNamespace, OrtSessionOptions } from './ort-namespace.js';

export interface OnnxBackendOptions {
  /** The onnxruntime-node namespace (`import * as ort from 'onnxruntime-node'`, or `await loadOrt()`). */
  readonly ort: OrtNamespace;
  /** Threads inside one op (matmul, conv). Default 2. */
  readonly intraOpThreads?: number;
  /** Threads running independent ops at once. Default 1 (sequential execution). */
  readonly interOpThreads?: number;
  /**
   * Execution providers in order of preference, passed to onnxruntime unchanged. Default `['cpu']`. CUDA where
   * the user installed onnxruntime-node with its CUDA binaries: `['cuda', 'cpu']` or
   * `[{ name: 'cuda', deviceId: 0 }, 'cpu']`; ops a provider lacks fall back to the next one.
   */
  readonly executionProviders?: readonly OrtExecutionProvider[];
  /** onnxruntime graph optimizations (constant folding, Gemm/activation fusion, layout). Default 'all'. */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Largest `.onnx` file the importer reads, in bytes. Default 2 GiB (the protobuf limit). */
  readonly maxModelBytes?: number;
  /** onnxruntime log level: 0 verbose … 4 fatal. Default 3 (errors only). */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /**
   * Reuse the buffers of disposed resident tensors as pre-allocated outputs of later runs, so a train loop
   * that disposes last step's params allocates nothing per step. Default true.
   */
  readonly recycleResidentBuffers?: boolean;
  /** Most memory kept for recycling, in bytes. Default 1 GiB. */
  readonly maxRecycledBytes?: number;
  /** Any further onnxruntime session options, applied last (e.g. `enableProfiling`, `extra`). */
  readonly sessionOptions?: OrtSessionOptions;
}

export const DEFAULT_MAX_MODEL_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_RECYCLED_BYTES = 1024 ** 3;

/** The onnxruntime session options these settings stand for. */
export function sessionOptionsOf(options: OnnxBackendOptions): OrtSessionOptions {
  const interOp = options.interOpThreads ?? 1;
  return {
    intraOpNumThreads: options.intraOpThreads ?? 2,
    interOpNumThreads: interOp,
    executionMode: interOp > 1 ? 'parallel' : 'sequential',
    executionProviders: [...(options.executionProviders ?? ['cpu'])],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    logSeverityLevel: options.logSeverityLevel ?? 3,
    ...options.sessionOptions,
  };
}
