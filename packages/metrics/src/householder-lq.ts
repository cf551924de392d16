import { dot, subtractScaled } from './vector-kernels.js';

/** Reflectors per block: their vectors (BLOCK·n doubles) stay in cache while every trailing row is updated. */
const BLOCK = 16;

/**
 * Householder LQ reduction of a row-major m×n matrix with m ≤ n: returns the m×m lower-triangular factor L
 * (A = L Q with orthonormal rows in Q, so σ(L) = σ(A)). Internal to the package; used before
 * bidiagonalization when n is much larger than m, which saves about half the work.
 *
 * Reflectors are built for a panel of BLOCK rows, then applied one after the other to each trailing row while
 * that row is in cache: the same arithmetic as the unblocked algorithm with BLOCK× less memory traffic.
 *
 * @param a row-major m×n data, overwritten.
 */
export function lowerTriangularFactor(a: Float64Array, m: number, n: number): Float64Array {
  const vectors = new Float64Array(BLOCK * n);
  const taus = new Float64Array(BLOCK);
  const L = new Float64Array(m * m);
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const k1 = Math.min(m, k0 + BLOCK);
    // Panel: reflector k from row k, applied at once to the panel rows below it.
    for (let k = k0; k < k1; k++) {
      const slot = (k - k0) * n;
      const rowK = k * n;
      const x0 = a[rowK + k];
      const tailSquares = dot(a, rowK + k + 1, a, rowK + k + 1, n - k - 1);
      for (let j = 0; j < k; j++) L[k * m + j] = a[rowK + j];
      if (tailSquares === 0) {
        L[k * m + k] = x0;
        taus[k - k0] = 0;
        continue;
      }
      const norm = Math.sqrt(x0 * x0 + tailSquares);
      const beta = x0 <= 0 ? norm : -norm;
      const tau = (beta - x0) / beta;
      const scale = 1 / (x0 - beta);
      vectors[slot + k] = 1;
      for (let j = k + 1; j < n; j++) vectors[slot + j] = a[rowK + j] * scale;
      taus[k - k0] = tau;
      L[k * m + k] = beta;
      for (let i = k + 1; i < k1; i++) applyReflector(a, i * n, vectors, slot, tau, k, n);
    }
    for (let i = k1; i < m; i++) {
      for (let k = k0; k < k1; k++) {
        const tau = taus[k - k0];
        if (tau !== 0) applyReflector(a, i * n, vectors, (k - k0) * n, tau, k, n);
      }
    }
  }
  return L;
}

/** row[k:] −= τ (row[k:]·v[k:]) v[k:] for the row at `rowOffset` and the vector at `vectorOffset`. */
function applyReflector(a: Float64Array, rowOffset: number, v: Float64Array, vectorOffset: number, tau: number, k: number, n: number): void {
  const c = tau * dot(a, rowOffset + k, v, vectorOffset + k, n - k);
  subtractScaled(a, rowOffset + k, c, v, vectorOffset + k, n - k);
}
