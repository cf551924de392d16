import { effectiveRank } from './effective-rank.js';
import { euclideanNorm } from './matrix.js';
import { rankForEnergy } from './rank-for-energy.js';
import { tail } from './spectral-tail.js';

/**
 * Spectral metrics of one weight matrix W (m×n) with singular values σ_1 ≥ σ_2 ≥ … (science.md §3).
 * For the zero matrix every field is 0.
 */
export interface SpectralMetrics {
  /** ‖W‖_F = √(Σ_j σ_j²). */
  frobeniusNorm: number;
  /** ‖W‖_2 = σ_1. */
  spectralNorm: number;
  /** τ_K = √(Σ_{j>K} σ_j²), the Frobenius distance from W to the rank-≤K matrices. */
  tailK: number;
  /** τ_K / ‖W‖_F (0 for the zero matrix). */
  relativeTailK: number;
  /** #{j : σ_j > rankTolerance·σ_1}. */
  numericalRank: number;
  /** #{j : σ_j / ‖W‖_F > normalizedRankTolerance}, the rank of W/‖W‖_F used by Galanti et al. */
  normalizedRank: number;
  /** Smallest r with Σ_{j≤r} σ_j² ≥ (1−energyEpsilon)·‖W‖_F². */
  energyRank: number;
  /** ‖W‖_F² / ‖W‖_2². */
  stableRank: number;
  /** exp(−Σ_j p_j log p_j), p_j = σ_j / Σ_k σ_k (Roy & Vetterli). */
  effectiveRank: number;
}

/** Names of the SpectralMetrics fields, in a stable order (column names of the per-layer rows). */
export const SPECTRAL_METRIC_FIELDS = [
  'frobeniusNorm',
  'spectralNorm',
  'tailK',
  'relativeTailK',
  'numericalRank',
  'normalizedRank',
  'energyRank',
  'stableRank',
  'effectiveRank',
] as const satisfies readonly (keyof SpectralMetrics)[];

/** Options of {@link spectralMetrics}. */
export interface SpectralMetricsOptions {
  /** Number of classes K: the rank the tail τ_K is measured against. Required. */
  K: number;
  /** Relative threshold of the numerical rank, σ_j > rankTolerance·σ_1. Default 1e-3. */
  rankTolerance?: number;
  /** Threshold on σ_j/‖W‖_F of the normalized rank. Default 1e-3. */
  normalizedRankTolerance?: number;
  /** Energy left out by the energy rank. Default 1e-2 (keep 99% of ‖W‖_F²). */
  energyEpsilon?: number;
}

/**
 * Computes {@link SpectralMetrics} from the singular values `sigma` of W in descending order
 * (as returned by `singularValues`).
 * @throws RangeError if K is not a non-negative integer, a tolerance is negative, energyEpsilon ∉ [0, 1],
 * or sigma is not descending and non-negative.
 */
export function spectralMetrics(sigma: ArrayLike<number>, options: SpectralMetricsOptions): SpectralMetrics {
  const { K, rankTolerance = 1e-3, normalizedRankTolerance = 1e-3, energyEpsilon = 1e-2 } = options;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`spectralMetrics: K must be a non-negative integer, got ${K}`);
  if (!(rankTolerance >= 0)) throw new RangeError(`spectralMetrics: rankTolerance must be ≥ 0, got ${rankTolerance}`);
  if (!(normalizedRankTolerance >= 0)) {
    throw new RangeError(`spectralMetrics: normalizedRankTolerance must be ≥ 0, got ${normalizedRankTolerance}`);
  }
  for (let j = 0; j < sigma.length; j++) {
    if (!(sigma[j] >= 0) || (j > 0 && sigma[j] > sigma[j - 1])) {
      throw new RangeError('spectralMetrics: sigma must be non-negative and in descending order');
    }
  }
  const frobeniusNorm = euclideanNorm(sigma, 0, sigma.length);
  const spectralNorm = sigma.length > 0 ? sigma[0] : 0;
  const tailK = tail(sigma, K);
  let numericalRank = 0;
  let normalizedRank = 0;
  if (spectralNorm > 0) {
    for (let j = 0; j < sigma.length; j++) {
      if (sigma[j] > rankTolerance * spectralNorm) numericalRank++;
      if (sigma[j] / frobeniusNorm > normalizedRankTolerance) normalizedRank++;
    }
  }
  const ratio = spectralNorm > 0 ? frobeniusNorm / spectralNorm : 0;
  return {
    frobeniusNorm,
    spectralNorm,
    tailK,
    relativeTailK: frobeniusNorm > 0 ? tailK / frobeniusNorm : 0,
    numericalRank,
    normalizedRank,
    energyRank: rankForEnergy(sigma, energyEpsilon),
    stableRank: ratio * ratio,
    effectiveRank: effectiveRank(sigma),
  };
}
