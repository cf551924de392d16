import { bidiagonalSingularValues } from './bidiagonal-singular-values.js';
import { bidiagonalizeWideBlocked } from './blocked-bidiagonalization.js';
import { bidiagonalizeWide } from './householder-bidiagonalization.js';
import { lowerTriangularFactor } from './householder-lq.js';
import { createTwoThreadKernels } from './two-thread-kernels.js';
import { checkMatrix, transpose, type Matrix } from './matrix.js';
import { createReductionKernels, WasmMemoryError, type ReductionKernels } from './reduction-kernels.js';

/** Aspect ratio (long side / short side) from which an LQ (or QR) reduction precedes bidiagonalization. */
const LQ_FIRST_RATIO = 5 / 3;

/** Options of {@link singularValues}. */
export interface SingularValuesOptions {
  /**
   * Use the WebAssembly SIMD kernels when the runtime supports them (same results up to rounding, faster).
   * Default true; false forces the plain JavaScript kernels.
   */
  wasm?: boolean;
  /**
   * Threads for large matrices (m·n ≥ 2¹⁸) with the WebAssembly kernels in Node.js: 2 hands half of every
   * reduction pass to one worker thread (waiting with Atomics, so the call stays synchronous); 1 (default) keeps
   * everything on the calling thread. Same results up to rounding. Default 1 because the gain needs an idle
   * core: on a busy machine (a sweep running) the hand-offs cost more than they save.
   */
  threads?: 1 | 2;
}

/**
 * Smallest short side for the bidiagonalization with deferred updates: it reads the trailing matrix once per
 * step instead of reading and writing it, which pays once the matrix no longer fits in the caches (from about
 * this side on: docs/performance.md).
 */
const BLOCKED_MIN_SIDE = 1024;

/** Smallest m·n for which a second thread pays off. */
const TWO_THREAD_MIN_ENTRIES = 1 << 18;

/**
 * All min(m, n) singular values σ_1 ≥ σ_2 ≥ … ≥ 0 of W (m×n), in float64.
 *
 * Algorithm: Householder bidiagonalization (after an LQ/QR reduction when one side is ≥ 5/3 of the other;
 * with the updates of 16 steps deferred and applied at once from a short side of 1024 on), then the implicitly
 * shifted bidiagonal QR iteration. Backward stable: every σ_j is accurate to a small
 * multiple of ε·σ_1 (ε = 2⁻⁵²), small singular values included (unlike eigenvalues of WᵀW). W is not modified.
 *
 * @throws RangeError if W is malformed or holds a NaN or infinite entry.
 */
export function singularValues(W: Matrix, options: SingularValuesOptions = {}): Float64Array {
  checkMatrix(W, 'singularValues');
  const { rows, cols } = W;
  if (rows === 0 || cols === 0) return new Float64Array(0);
  let maxAbs = 0;
  for (let i = 0; i < W.data.length; i++) {
    const a = Math.abs(W.data[i]);
    if (!(a <= maxAbs)) {
      if (!Number.isFinite(a)) throw new RangeError('singularValues: the matrix has a NaN or infinite entry');
      maxAbs = a;
    }
  }
  if (maxAbs === 0) return new Float64Array(Math.min(rows, cols));
  // Work on the wide orientation (m ≤ n): row-major rows are then the long, contiguous side. The reductions
  // copy their input, so `a` may alias W.data.
  const wide = rows > cols ? transpose(W) : W;
  const m = wide.rows;
  const n = wide.cols;
  let a = wide.data;
  // Scale by a power of two (exact) so that sums of squares can neither overflow nor underflow.
  const exponent = Math.round(Math.log2(maxAbs));
  const scale = exponent > 400 || exponent < -400 ? 2 ** -exponent : 1;
  if (scale !== 1) a = a.map((x) => x * scale);
  const wasm = options.wasm ?? true;
  const parallel = wasm && (options.threads ?? 1) > 1 && m * n >= TWO_THREAD_MIN_ENTRIES;
  const kernels = (parallel ? createTwoThreadKernels() : null) ?? createReductionKernels(wasm);
  let sigma: Float64Array;
  try {
    sigma = reduceAndIterate(a, m, n, kernels);
  } catch (error) {
    if (!(error instanceof WasmMemoryError)) throw error;
    sigma = reduceAndIterate(a, m, n, createReductionKernels(false)); // too large for 32-bit WebAssembly memory
  } finally {
    kernels.close?.();
  }
  if (scale !== 1) for (let i = 0; i < sigma.length; i++) sigma[i] /= scale;
  return sigma;
}

/** σ of the wide (m ≤ n) row-major matrix `a`, which is not modified. */
function reduceAndIterate(a: Float64Array, m: number, n: number, kernels: ReductionKernels): Float64Array {
  const bidiagonalize = m >= BLOCKED_MIN_SIDE ? bidiagonalizeWideBlocked : bidiagonalizeWide;
  if (n >= LQ_FIRST_RATIO * m && m > 1) {
    const L = lowerTriangularFactor(a, m, n, kernels);
    const { d, e } = bidiagonalize(L, m, m, kernels);
    return bidiagonalSingularValues(d, e);
  }
  const { d, e } = bidiagonalize(a, m, n, kernels);
  return bidiagonalSingularValues(d, e);
}
