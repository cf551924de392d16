/**
 * Effective rank of Roy & Vetterli: exp(−Σ_j p_j log p_j) with p_j = σ_j / Σ_k σ_k (0·log 0 = 0).
 * Lies in [1, len] for a nonzero spectrum; returns 0 for an all-zero or empty spectrum.
 * @throws RangeError if a value is negative or not finite.
 */
export function effectiveRank(sigma: ArrayLike<number>): number {
  let total = 0;
  for (let j = 0; j < sigma.length; j++) {
    const s = sigma[j];
    if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`effectiveRank: values must be finite and ≥ 0, got ${s}`);
    total += s;
  }
  if (total === 0) return 0;
  let entropy = 0;
  for (let j = 0; j < sigma.length; j++) {
    const p = sigma[j] / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
