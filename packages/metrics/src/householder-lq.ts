import type { ReductionKernels } from './reduction-kernels.js';

/** Reflectors per block: their vectors (BLOCK·n doubles) stay in cache while every trailing row is updated. */
const BLOCK = 16;

/**
 * Householder LQ reduction of a row-major m×n matrix with m ≤ n: returns the m×m lower-triangular factor L
 * (A = L Q with orthonormal rows in Q, so σ(L) = σ(A)). Internal to the package; used before
 * bidiagonalization when n is much larger than m, which saves about half the work.
 *
 * Reflectors are built for a panel of BLOCK rows, then applied one after the other to each trailing row while
 * that row is in cache: the arithmetic of the unblocked algorithm with BLOCK× less memory traffic.
 *
 * @param source row-major m×n data (not modified).
 */
export function lowerTriangularFactor(source: Float64Array, m: number, n: number, kernels: ReductionKernels): Float64Array {
  const A = 0;
  const vectors = A + m * n;
  const taus = vectors + BLOCK * n;
  const heap = kernels.reserve(taus + BLOCK);
  heap.set(source, A);
  heap.fill(0, vectors, taus + BLOCK);
  const L = new Float64Array(m * m);
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const k1 = Math.min(m, k0 + BLOCK);
    for (let k = k0; k < k1; k++) {
      const slot = vectors + (k - k0) * n;
      const rowK = A + k * n;
      const x0 = heap[rowK + k];
      let tailSquares = 0;
      for (let j = k + 1; j < n; j++) tailSquares += heap[rowK + j] * heap[rowK + j];
      for (let j = 0; j < k; j++) L[k * m + j] = heap[rowK + j];
      if (tailSquares === 0) {
        L[k * m + k] = x0;
        heap[taus + k - k0] = 0;
        continue;
      }
      const norm = Math.sqrt(x0 * x0 + tailSquares);
      const beta = x0 <= 0 ? norm : -norm;
      const scale = 1 / (x0 - beta);
      heap[slot + k] = 1;
      for (let j = k + 1; j < n; j++) heap[slot + j] = heap[rowK + j] * scale;
      heap[taus + k - k0] = (beta - x0) / beta;
      L[k * m + k] = beta;
      // This reflector on the panel rows below it, at once (the next reflectors are built from them).
      kernels.reflectRows(A, n, k + 1, k1, slot, taus + k - k0, k, 1);
    }
    kernels.reflectRows(A, n, k1, m, vectors, taus, k0, k1 - k0);
  }
  return L;
}
