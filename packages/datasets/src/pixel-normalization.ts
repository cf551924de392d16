import { DatasetError } from './dataset-error.js';
import { pixelStatistics, type PixelStatistics } from './pixel-statistics.js';

/**
 * How raw 8-bit pixel values p ∈ [0, 255] become model inputs:
 * - `'unit'` (default): p / 255, in [0, 1].
 * - `'standardize'`: (p / 255 − μ) / σ with the documented constants of the dataset (`PIXEL_STATISTICS`).
 * - `'standardize-train'`: the same with μ, σ computed from the training split's pixels (population std over all
 *   pixels of all training samples), applied to both splits.
 * - `'raw'`: p unchanged, in [0, 255].
 * - `{ mean, std }`: (p / 255 − mean) / std with the given constants (on the [0, 1] scale).
 */
export type PixelNormalization = 'unit' | 'standardize' | 'standardize-train' | 'raw' | PixelStatistics;

/** The affine map value = p · scale + shift applied to each raw pixel p. */
export interface PixelTransform {
  scale: number;
  shift: number;
}

/**
 * Resolves a {@link PixelNormalization} to the affine map on raw pixels.
 * @param documented the dataset's constants for `'standardize'`.
 * @param trainPixels raw training pixels, used only for `'standardize-train'`.
 * @throws DatasetError (`invalid-options`) for an unknown mode or a non-positive / non-finite std.
 */
export function pixelTransform(
  normalization: PixelNormalization,
  documented: PixelStatistics,
  trainPixels: ArrayLike<number>,
): PixelTransform {
  if (normalization === 'unit') return { scale: 1 / 255, shift: 0 };
  if (normalization === 'raw') return { scale: 1, shift: 0 };
  let stats: PixelStatistics;
  if (normalization === 'standardize') stats = documented;
  else if (normalization === 'standardize-train') stats = pixelStatistics(trainPixels);
  else if (typeof normalization === 'object' && normalization !== null) stats = normalization;
  else {
    throw new DatasetError('invalid-options', 'normalization', {
      expected: "'unit', 'standardize', 'standardize-train', 'raw' or { mean, std }",
      found: JSON.stringify(normalization),
    });
  }
  if (!(stats.std > 0) || !Number.isFinite(stats.std) || !Number.isFinite(stats.mean)) {
    throw new DatasetError('invalid-options', 'normalization statistics', {
      expected: 'finite mean and std > 0',
      found: `mean ${stats.mean}, std ${stats.std}`,
    });
  }
  return { scale: 1 / (255 * stats.std), shift: -stats.mean / stats.std };
}

/** Applies `value = p · scale + shift` to every raw pixel, into a new Float32Array. */
export function applyPixelTransform(pixels: ArrayLike<number>, transform: PixelTransform): Float32Array {
  const out = new Float32Array(pixels.length);
  const { scale, shift } = transform;
  for (let i = 0; i < out.length; i++) out[i] = pixels[i] * scale + shift;
  return out;
}
