import { checkMatrix, euclideanNorm, type Matrix } from './matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { dot } from './vector-kernels.js';

/** Factors of a best rank-r approximation W ≈ left · right. */
export interface TruncatedSvd {
  /** U_r Σ_r, m×r: the left singular vectors scaled by their singular values. */
  left: Matrix;
  /** V_rᵀ, r×n: orthonormal rows (a zero row where σ_j = 0). */
  right: Matrix;
  /** σ_1 ≥ … ≥ σ_r of the factorization. */
  sigma: Float64Array;
}

/**
 * Best rank-r approximation of W (m×n) in factored form, for low-rank compression (r·(m+n) parameters
 * instead of m·n). r is clamped to min(m, n).
 *
 * Method: eigenvectors of the smaller Gram matrix (WᵀW or WWᵀ), then the other factor by projecting W onto
 * them, so that left·right = W V_r V_rᵀ (or U_r U_rᵀ W) is an exact orthogonal projection of W. Its error
 * ‖W − left·right‖_F² = τ_r² + O(σ_1² · sin²θ) is second order in the subspace error θ ≈ ε·σ_1²/(σ_r² − σ_{r+1}²),
 * so the approximation error matches τ_r to about 1e-7·‖W‖_F or better even when σ_r is tiny (tested); the
 * individual small singular vectors are not accurate to full precision: use `singularValues` for spectra.
 *
 * @throws RangeError if W is malformed or r is not a non-negative integer.
 */
export function truncatedSvd(W: Matrix, r: number): TruncatedSvd {
  checkMatrix(W, 'truncatedSvd');
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`truncatedSvd: r must be a non-negative integer, got ${r}`);
  const { rows: m, cols: n, data } = W;
  const rank = Math.min(r, m, n);
  const left = new Float64Array(m * rank);
  const right = new Float64Array(rank * n);
  const sigma = new Float64Array(rank);
  if (rank === 0) return { left: { rows: m, cols: 0, data: left }, right: { rows: 0, cols: n, data: right }, sigma };
  if (n <= m) {
    // V_r from WᵀW (n×n); left = W V_r, whose column norms are the σ_j.
    const gram = new Float64Array(n * n);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let a = 0; a < n; a++) {
        const x = data[row + a];
        if (x !== 0) for (let b = a; b < n; b++) gram[a * n + b] += x * data[row + b];
      }
    }
    mirrorUpper(gram, n);
    const { vectors } = symmetricEigen(gram, n);
    right.set(vectors.subarray(0, rank * n));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < rank; j++) left[i * rank + j] = dot(data, i * n, right, j * n, n);
    }
    for (let j = 0; j < rank; j++) {
      let squares = 0;
      for (let i = 0; i < m; i++) squares += left[i * rank + j] * left[i * rank + j];
      sigma[j] = Math.sqrt(squares);
    }
  } else {
    // U_r from WWᵀ (m×m); B = U_rᵀ W has rows σ_j v_jᵀ: normalize them into V_rᵀ and scale U_r by σ_j.
    const gram = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = a; b < m; b++) gram[a * m + b] = dot(data, a * n, data, b * n, n);
    mirrorUpper(gram, m);
    const { vectors } = symmetricEigen(gram, m);
    for (let j = 0; j < rank; j++) {
      const target = j * n;
      for (let i = 0; i < m; i++) {
        const u = vectors[j * m + i];
        if (u === 0) continue;
        for (let c = 0; c < n; c++) right[target + c] += u * data[i * n + c];
      }
      const norm = euclideanNorm(right, target, target + n);
      sigma[j] = norm;
      if (norm > 0) for (let c = 0; c < n; c++) right[target + c] /= norm;
      for (let i = 0; i < m; i++) left[i * rank + j] = vectors[j * m + i] * norm;
    }
  }
  return { left: { rows: m, cols: rank, data: left }, right: { rows: rank, cols: n, data: right }, sigma };
}

function mirrorUpper(gram: Float64Array, n: number): void {
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) gram[b * n + a] = gram[a * n + b];
}
