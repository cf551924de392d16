import { checkMatrix, euclideanNorm, type Matrix } from './matrix.js';
import { dot, subtractScaled } from './vector-kernels.js';

/**
 * Rank-revealing orthonormal basis of the span of the rows of `vectors` (k×n): modified Gram–Schmidt with
 * pivoting on the largest remaining residual, orthogonalized twice for full float64 orthogonality. A direction
 * whose residual is at most `relativeTolerance` times the largest input norm is dropped, so nearly dependent
 * vectors (e.g. class means whose centered span collapsed) do not add noise directions.
 *
 * @returns Q, r×n with orthonormal rows (r ≤ min(k, n)); r = 0 for an all-zero input.
 * @throws RangeError if the matrix is malformed or the tolerance is negative.
 */
export function orthonormalRowBasis(vectors: Matrix, relativeTolerance = 1e-10): Matrix {
  checkMatrix(vectors, 'orthonormalRowBasis');
  if (!(relativeTolerance >= 0)) throw new RangeError(`orthonormalRowBasis: tolerance must be ≥ 0, got ${relativeTolerance}`);
  const { rows: k, cols: n } = vectors;
  const residuals = Float64Array.from(vectors.data);
  let largest = 0;
  for (let i = 0; i < k; i++) largest = Math.max(largest, euclideanNorm(residuals, i * n, i * n + n));
  const basis: Float64Array[] = [];
  const used = new Uint8Array(k);
  const threshold = relativeTolerance * largest;
  while (largest > 0 && basis.length < Math.min(k, n)) {
    let pivot = -1;
    let pivotNorm = threshold;
    for (let i = 0; i < k; i++) {
      if (used[i]) continue;
      const norm = euclideanNorm(residuals, i * n, i * n + n);
      if (norm > pivotNorm) {
        pivot = i;
        pivotNorm = norm;
      }
    }
    if (pivot < 0) break;
    used[pivot] = 1;
    const q = residuals.slice(pivot * n, pivot * n + n);
    // Second orthogonalization against the basis so far ("twice is enough").
    for (const b of basis) subtractScaled(q, 0, dot(b, 0, q, 0, n), b, 0, n);
    const norm = euclideanNorm(q, 0, n);
    if (!(norm > threshold)) continue;
    for (let j = 0; j < n; j++) q[j] /= norm;
    basis.push(q);
    for (let i = 0; i < k; i++) {
      if (!used[i]) subtractScaled(residuals, i * n, dot(q, 0, residuals, i * n, n), q, 0, n);
    }
  }
  const data = new Float64Array(basis.length * n);
  basis.forEach((q, i) => data.set(q, i * n));
  return { rows: basis.length, cols: n, data };
}
