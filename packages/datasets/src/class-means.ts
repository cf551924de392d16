import type { Rng } from '@rank-collapse/backend';
import { DatasetError } from './dataset-error.js';

/**
 * Placement of the K class means μ_k in R^D:
 * - `'simplex'`: vertices of a regular simplex centred at the origin, in a random (K−1)-dimensional subspace;
 *   every pair is exactly `separation` apart. Needs D ≥ K − 1.
 * - `'random'`: independent uniformly random directions, each of norm separation / √2, so pairs are
 *   `separation` apart on average (exactly in expectation of ‖μ_j − μ_k‖², and nearly so for large D).
 */
export type MeanPlacement = 'simplex' | 'random';

/**
 * Draws K class means in R^D (row-major K × D, float64).
 * @throws DatasetError (`invalid-options`) when D < K − 1 for `'simplex'` or an argument is out of range.
 */
export function classMeans(
  numClasses: number,
  dimension: number,
  separation: number,
  placement: MeanPlacement,
  rng: Rng,
): Float64Array {
  const K = numClasses;
  const D = dimension;
  const radius = separation / Math.SQRT2;
  const means = new Float64Array(K * D);
  if (placement === 'random') {
    for (let k = 0; k < K; k++) {
      const row = means.subarray(k * D, (k + 1) * D);
      for (let d = 0; d < D; d++) row[d] = rng.normal();
      scale(row, radius / norm(row));
    }
    return means;
  }
  if (placement !== 'simplex') {
    throw new DatasetError('invalid-options', 'means', { expected: "'simplex' or 'random'", found: JSON.stringify(placement) });
  }
  if (D < K - 1) {
    throw new DatasetError('invalid-options', 'dimension for simplex means', {
      expected: `at least numClasses − 1 = ${K - 1}`,
      found: `${D}`,
    });
  }
  // Columns of the Helmert matrix are K unit-spaced (√2 apart) simplex vertices in R^(K−1), centred at 0;
  // a random orthonormal basis Q (D × (K−1)) embeds them so that they are not axis-aligned.
  const basis = orthonormalBasis(D, K - 1, rng);
  for (let j = 1; j < K; j++) {
    const c = 1 / Math.sqrt(j * (j + 1));
    const q = basis.subarray((j - 1) * D, j * D);
    for (let k = 0; k <= j; k++) {
      const h = k < j ? c : -j * c;
      for (let d = 0; d < D; d++) means[k * D + d] += radius * h * q[d];
    }
  }
  return means;
}

/** `count` orthonormal vectors of R^D (rows), by twice-repeated Gram–Schmidt on Gaussian vectors. */
function orthonormalBasis(D: number, count: number, rng: Rng): Float64Array {
  const basis = new Float64Array(count * D);
  for (let i = 0; i < count; i++) {
    const v = basis.subarray(i * D, (i + 1) * D);
    for (let d = 0; d < D; d++) v[d] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const u = basis.subarray(j * D, (j + 1) * D);
        let dot = 0;
        for (let d = 0; d < D; d++) dot += u[d] * v[d];
        for (let d = 0; d < D; d++) v[d] -= dot * u[d];
      }
    }
    scale(v, 1 / norm(v));
  }
  return basis;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function scale(v: Float64Array, factor: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= factor;
}
