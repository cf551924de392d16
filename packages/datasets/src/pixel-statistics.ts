import { DatasetError } from './dataset-error.js';

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
