import { describe, expect, it } from 'vitest';
import { sameValues } from './__fixtures__/same-values.js';
import { classCounts } from './class-counts.js';
import { generateGaussianMixture, generateGaussianMixtureSplits } from './gaussian-mixture.js';
import { validateDataset } from './validate-dataset.js';

/** Per-class sample means (K × D) and per-class variance per coordinate (pooled over coordinates), float64. */
function empiricalStatistics(x: Float32Array, y: Int32Array, K: number, D: number) {
  const n = new Float64Array(K);
  const means = new Float64Array(K * D);
  for (let i = 0; i < y.length; i++) {
    n[y[i]]++;
    for (let d = 0; d < D; d++) means[y[i] * D + d] += x[i * D + d];
  }
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) means[k * D + d] /= n[k];
  const variances = new Float64Array(K);
  for (let i = 0; i < y.length; i++) {
    for (let d = 0; d < D; d++) variances[y[i]] += (x[i * D + d] - means[y[i] * D + d]) ** 2;
  }
  for (let k = 0; k < K; k++) variances[k] /= (n[k] - 1) * D;
  return { means, variances };
}

describe('generateGaussianMixture', () => {
  const options = { numClasses: 4, dimension: 8, perClass: 2000, separation: 5, noise: [0.5, 1, 1.5, 2], seed: 11 };

  it('draws samples whose class means and variances match the returned truth', () => {
    const { dataset, truth } = generateGaussianMixture(options);
    validateDataset(dataset);
    expect([dataset.size, dataset.numClasses]).toEqual([8000, 4]);
    expect(dataset.sampleShape).toEqual([8]);
    expect(Array.from(classCounts(dataset))).toEqual([2000, 2000, 2000, 2000]);
    expect(Array.from(dataset.y.subarray(0, 6))).toEqual([0, 1, 2, 3, 0, 1]);
    expect(Array.from(truth.variances)).toEqual([0.25, 1, 2.25, 4]);
    const empirical = empiricalStatistics(dataset.x, dataset.y, 4, 8);
    for (let k = 0; k < 4; k++) {
      const sigma = options.noise[k];
      // Sample mean error has std σ/√n per coordinate: allow 5 standard errors.
      for (let d = 0; d < 8; d++) {
        expect(Math.abs(empirical.means[k * 8 + d] - truth.means[k * 8 + d])).toBeLessThan((5 * sigma) / Math.sqrt(2000));
      }
      // Pooled variance over n·D = 16000 values: relative std ≈ sqrt(2/16000) ≈ 1.1%; allow 5%.
      expect(Math.abs(empirical.variances[k] / truth.variances[k] - 1)).toBeLessThan(0.05);
    }
  });

  it('is a pure function of the seed and options', () => {
    const a = generateGaussianMixture(options);
    const b = generateGaussianMixture(options);
    const c = generateGaussianMixture({ ...options, seed: 12 });
    expect(sameValues(a.dataset.x, b.dataset.x)).toBe(true);
    expect(sameValues(a.truth.means, b.truth.means)).toBe(true);
    expect(sameValues(a.dataset.x, c.dataset.x)).toBe(false);
  });

  it('splits share the population, not the noise, and the train split does not depend on the test size', () => {
    const single = generateGaussianMixture(options);
    const splits = generateGaussianMixtureSplits({ ...options, testPerClass: 50 });
    expect(sameValues(splits.train.x, single.dataset.x)).toBe(true);
    expect(sameValues(splits.truth.means, single.truth.means)).toBe(true);
    expect([splits.train.name, splits.test.name, splits.test.size]).toEqual([
      'gaussian-mixture/train',
      'gaussian-mixture/test',
      200,
    ]);
    expect(Array.from(splits.test.x.subarray(0, 8))).not.toEqual(Array.from(splits.train.x.subarray(0, 8)));
    expect(generateGaussianMixtureSplits({ ...options, perClass: 10 }).test.size).toBe(40);
  });

  it('with zero noise every sample is its class mean', () => {
    const { dataset, truth } = generateGaussianMixture({ numClasses: 3, dimension: 5, perClass: 2, noise: 0, seed: 'x' });
    for (let i = 0; i < dataset.size; i++) {
      for (let d = 0; d < 5; d++) {
        expect(Math.abs(dataset.x[i * 5 + d] - truth.means[dataset.y[i] * 5 + d])).toBeLessThan(1e-6);
      }
    }
  });

  it('rejects out-of-range options', () => {
    const base = { numClasses: 3, dimension: 4, perClass: 5, seed: 1 };
    expect(() => generateGaussianMixture({ ...base, numClasses: 1 })).toThrow('numClasses: expected an integer ≥ 2, found 1');
    expect(() => generateGaussianMixture({ ...base, perClass: 2.5 })).toThrow('perClass');
    expect(() => generateGaussianMixture({ ...base, noise: [1, 2] })).toThrow('noise: expected σ ≥ 0, one number or 3 numbers');
    expect(() => generateGaussianMixture({ ...base, separation: -1 })).toThrow('separation');
    expect(() => generateGaussianMixture({ ...base, dimension: 1 })).toThrow('dimension for simplex means');
  });
});
