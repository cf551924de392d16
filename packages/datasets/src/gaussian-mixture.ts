import { createRng, type Rng } from '@rank-collapse/backend';
import type { Dataset, DatasetSplits } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { classMeans, type MeanPlacement } from './class-means.js';

/** Options of {@link generateGaussianMixture}. */
export interface GaussianMixtureOptions {
  /** K ≥ 2 classes. */
  numClasses: number;
  /** D ≥ 1, the dimension of each sample (`sampleShape [D]`). */
  dimension: number;
  /** Samples per class in the training split (and in {@link generateGaussianMixture}'s single dataset). */
  perClass: number;
  /** Samples per class in the test split of {@link generateGaussianMixtureSplits}; default = `perClass`. */
  testPerClass?: number;
  /** Distance between class means (see {@link MeanPlacement}); default 4. */
  separation?: number;
  /** σ, the noise standard deviation per coordinate: one value for all classes or one per class; default 1. */
  noise?: number | number[];
  /** How the means are placed; default `'simplex'`. */
  means?: MeanPlacement;
  /** Seed: the same seed and options give the same data everywhere. */
  seed: number | string;
}

/** The population statistics the samples are drawn from, for comparing metrics to known values. */
export interface GaussianMixtureTruth {
  /** μ_k, K × D row-major. Their average (the global mean of the balanced mixture) is 0 for `'simplex'`. */
  means: Float64Array;
  /** σ_k² per class: each class covariance is σ_k² I_D (isotropic). */
  variances: Float64Array;
}

/** A generated dataset with its population statistics. */
export interface GaussianMixture {
  dataset: Dataset;
  truth: GaussianMixtureTruth;
}

/** Train and test splits drawn from the same mixture, with its population statistics. */
export interface GaussianMixtureSplits extends DatasetSplits {
  truth: GaussianMixtureTruth;
}

/**
 * Draws `perClass` samples of each of K isotropic Gaussians x = μ_y + σ_y ε, ε ~ N(0, I_D), with labels cycling
 * 0, 1, …, K−1 (every prefix of K·m samples is balanced). Equal to the `train` split of
 * {@link generateGaussianMixtureSplits} with the same options.
 * @throws DatasetError (`invalid-options`) for out-of-range options.
 */
export function generateGaussianMixture(options: GaussianMixtureOptions): GaussianMixture {
  const m = prepare(options);
  return { dataset: sample('gaussian-mixture', m.truth, options.perClass, m.trainRng), truth: m.truth };
}

/**
 * Draws a training split (`perClass` per class) and a test split (`testPerClass` per class) from one mixture:
 * same means and variances, independent noise (separate random streams, so the training data do not depend on
 * `testPerClass`).
 * @throws DatasetError (`invalid-options`) for out-of-range options.
 */
export function generateGaussianMixtureSplits(options: GaussianMixtureOptions): GaussianMixtureSplits {
  const m = prepare(options);
  return {
    train: sample('gaussian-mixture/train', m.truth, options.perClass, m.trainRng),
    test: sample('gaussian-mixture/test', m.truth, m.testPerClass, m.testRng),
    truth: m.truth,
  };
}

/** Validates options and draws the population; train and test noise come from their own forked streams. */
function prepare(options: GaussianMixtureOptions) {
  const K = options.numClasses;
  const D = options.dimension;
  const testPerClass = options.testPerClass ?? options.perClass;
  const separation = options.separation ?? 4;
  requireInteger('numClasses', K, 2);
  requireInteger('dimension', D, 1);
  requireInteger('perClass', options.perClass, 1);
  requireInteger('testPerClass', testPerClass, 1);
  if (!(separation >= 0) || !Number.isFinite(separation)) {
    throw new DatasetError('invalid-options', 'separation', { expected: 'a finite number ≥ 0', found: String(separation) });
  }
  const variances = noiseVariances(options.noise ?? 1, K);
  const rng = createRng(options.seed);
  const meanRng = rng.fork();
  const trainRng = rng.fork();
  const testRng = rng.fork();
  const truth: GaussianMixtureTruth = { means: classMeans(K, D, separation, options.means ?? 'simplex', meanRng), variances };
  return { truth, trainRng, testRng, testPerClass };
}

function sample(name: string, truth: GaussianMixtureTruth, perClass: number, rng: Rng): Dataset {
  const K = truth.variances.length;
  const D = truth.means.length / K;
  const size = K * perClass;
  const x = new Float32Array(size * D);
  const y = new Int32Array(size);
  const std = Array.from(truth.variances, Math.sqrt);
  for (let i = 0; i < size; i++) {
    const k = i % K;
    y[i] = k;
    for (let d = 0; d < D; d++) x[i * D + d] = truth.means[k * D + d] + std[k] * rng.normal();
  }
  return { name, numClasses: K, classNames: Array.from({ length: K }, (_, k) => `class ${k}`), sampleShape: [D], size, x, y };
}

function noiseVariances(noise: number | number[], K: number): Float64Array {
  const list = typeof noise === 'number' ? new Array<number>(K).fill(noise) : noise;
  if (!Array.isArray(list) || list.length !== K || !list.every((s) => Number.isFinite(s) && s >= 0)) {
    throw new DatasetError('invalid-options', 'noise', {
      expected: `σ ≥ 0, one number or ${K} numbers (one per class)`,
      found: JSON.stringify(noise),
    });
  }
  return Float64Array.from(list, (s) => s * s);
}

function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DatasetError('invalid-options', field, { expected: `an integer ≥ ${min}`, found: String(value) });
  }
}
