/**
 * Energy rank: the smallest r with Σ_{j≤r} σ_j² ≥ (1−ε)·Σ_j σ_j², i.e. τ_r² ≤ ε‖W‖_F². `sigma` holds the
 * singular values in descending order. Returns 0 for an all-zero spectrum.
 * @throws RangeError unless 0 ≤ ε ≤ 1.
 */
export function rankForEnergy(sigma: ArrayLike<number>, epsilon: number): number {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`rankForEnergy: epsilon must be in [0, 1], got ${epsilon}`);
  const count = sigma.length;
  const sigma1 = count > 0 ? Math.abs(sigma[0]) : 0;
  if (sigma1 === 0) return 0;
  // Squares relative to σ_1 cannot overflow; tail sums from the small end avoid cancellation in (1−ε)‖W‖².
  const suffix = new Float64Array(count + 1);
  for (let j = count - 1; j >= 0; j--) {
    const ratio = sigma[j] / sigma1;
    suffix[j] = suffix[j + 1] + ratio * ratio;
  }
  const budget = epsilon * suffix[0];
  for (let r = 0; r <= count; r++) if (suffix[r] <= budget) return r;
  return count;
}
