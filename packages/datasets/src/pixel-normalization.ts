import { DatasetError } from './dataset-error.js';

/**
 * How raw 8-bit pixel values p ∈ [0, 255] become model inputs:
 * - `'unit'` (default): p / 255, in [0, 1].
 * - `'standardize'`: (p / 255 − μ) / σ with the documented constants of the dataset (see {@link PIXEL_STATISTICS}).
 * - `'standardize-train'`: the same with μ, σ computed from the training split's pixels (population std over all
 *   pixels of all training samples), applied to both splits.
 * - `'raw'`: p unchanged, in [0, 255].
 * - `{ mean, std }`: (p / 255 − mean) / std with the given constants (on the [0, 1] scale).
 */
export type PixelNormalization = 'unit' | 'standardize' | 'standardize-train' | 'raw' | PixelStatistics;

/** Scalar mean and standard deviation of pixel values on the [0, 1] scale (p / 255). */
export interface PixelStatistics {
  mean: number;
  std: number;
}

/**
 * Documented per-dataset constants used by `normalization: 'standardize'`: mean and population std of all pixels
 * of the training split, on the [0, 1] scale. MNIST and Fashion-MNIST use the customary rounded values
 * (tests check them against the files to 1e-4); `tiny` values were measured on its fixed training subset.
 */
export const PIXEL_STATISTICS = {
  mnist: { mean: 0.1307, std: 0.3081 },
  'fashion-mnist': { mean: 0.286, std: 0.353 },
  tiny: { mean: 0.129, std: 0.2775 },
} as const satisfies Record<string, PixelStatistics>;

/** The affine map value = p · scale + shift applied to each raw pixel p. */
export interface PixelTransform {
  scale: number;
  shift: number;
}

/**
 * Mean and population standard deviation of p / 255 over every element of `pixels`, accumulated in float64.
 * @throws DatasetError (`invalid-options`) on an empty array.
 */
export function pixelStatistics(pixels: ArrayLike<number>): PixelStatistics {
  const n = pixels.length;
  if (n === 0) throw new DatasetError('invalid-options', 'pixel statistics of an empty array');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += pixels[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = pixels[i] - mean;
    squares += d * d;
  }
  return { mean: mean / 255, std: Math.sqrt(squares / n) / 255 };
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
