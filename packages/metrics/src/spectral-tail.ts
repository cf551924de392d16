import { euclideanNorm } from './matrix.js';

/**
 * Spectral tail τ_r = √(Σ_{j>r} σ_j²): the Frobenius distance from W to the nearest matrix of rank ≤ r
 * (Eckart–Young). `sigma` holds the singular values in descending order; r ≥ len(sigma) gives 0.
 * @throws RangeError if r is not a non-negative integer.
 */
export function tail(sigma: ArrayLike<number>, r: number): number {
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`tail: r must be a non-negative integer, got ${r}`);
  if (r >= sigma.length) return 0;
  return euclideanNorm(sigma, r, sigma.length);
}
