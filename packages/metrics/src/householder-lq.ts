import type { ReductionKernels } from './reduction-kernels.js';

/** Reflectors per block (a multiple of 4): their vectors (BLOCK·n doubles) stay in cache while rows stream by. */
const BLOCK = 16;

/**
 * Householder LQ reduction of a row-major m×n matrix with m ≤ n: returns the m×m lower-triangular factor L
 * (A = L Q with orthonormal rows in Q, so σ(L) = σ(A)). Internal to the package; used before
 * bidiagonalization when n is much larger than m, which saves about half the work.
 *
 * Reflectors are built for a panel of BLOCK rows, then applied to every trailing row at once in compact WY form
 * H_1⋯H_b = I − V T Vᵀ (LAPACK's larft/larfb): the trailing matrix streams through memory once per panel, and the
 * kernel computes four reflector products per sweep over a row.
 *
 * @param source row-major m×n data (not modified).
 */
export function lowerTriangularFactor(source: Float64Array, m: number, n: number, kernels: ReductionKernels): Float64Array {
  const A = 0;
  const vectors = A + m * n;
  const T = vectors + BLOCK * n;
  const taus = T + BLOCK * BLOCK;
  const scratch = taus + BLOCK;
  const heap = kernels.reserve(scratch + 4 * BLOCK, 4 * BLOCK);
  heap.set(source, A);
  const L = new Float64Array(m * m);
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const k1 = Math.min(m, k0 + BLOCK);
    heap.fill(0, vectors, scratch);
    for (let k = k0; k < k1; k++) {
      const slot = vectors + (k - k0) * n;
      const rowK = A + k * n;
      const x0 = heap[rowK + k];
      let tailSquares = 0;
      for (let j = k + 1; j < n; j++) tailSquares += heap[rowK + j] * heap[rowK + j];
      for (let j = 0; j < k; j++) L[k * m + j] = heap[rowK + j];
      if (tailSquares === 0) {
        L[k * m + k] = x0;
        continue; // τ = 0 and a zero vector: the identity
      }
      const norm = Math.sqrt(x0 * x0 + tailSquares);
      const beta = x0 <= 0 ? norm : -norm;
      const scale = 1 / (x0 - beta);
      heap[slot + k] = 1;
      for (let j = k + 1; j < n; j++) heap[slot + j] = heap[rowK + j] * scale;
      heap[taus + k - k0] = (beta - x0) / beta;
      L[k * m + k] = beta;
      // This reflector on the panel rows below it at once: the next reflectors are built from them.
      kernels.reflectRows(A, n, k + 1, k1, slot, taus + k - k0, k, 1);
    }
    if (k1 === m) break;
    // T (b×b upper triangular): T_jj = τ_j, T[0:j, j] = −τ_j T[0:j, 0:j] V[:, 0:j]ᵀ v_j.
    const b = k1 - k0;
    for (let j = 0; j < b; j++) {
      const tau = heap[taus + j];
      heap[T + j * BLOCK + j] = tau;
      if (tau === 0) continue;
      for (let t = 0; t < j; t++) {
        let s = 0;
        for (let c = k0 + j; c < n; c++) s += heap[vectors + t * n + c] * heap[vectors + j * n + c];
        heap[scratch + t] = s;
      }
      for (let t = 0; t < j; t++) {
        let s = 0;
        for (let q = t; q < j; q++) s += heap[T + t * BLOCK + q] * heap[scratch + q];
        heap[T + t * BLOCK + j] = -tau * s;
      }
    }
    kernels.applyBlockRows(A, n, k1, m, vectors, T, BLOCK, k0, scratch);
  }
  return L;
}
