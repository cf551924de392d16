import { createRng, permutation } from '@rank-collapse/backend';
import type { Dataset, DatasetSplits } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { indicesByClass } from './indices-by-class.js';
import { selectSamples } from './select-samples.js';

/** Options of {@link splitDataset}; give exactly one of `testFraction` and `testSize`. */
export interface SplitOptions {
  /** Fraction of samples for the test split, in (0, 1). */
  testFraction?: number;
  /** Number of samples for the test split, in 1..N-1. */
  testSize?: number;
  /** Seed of the random assignment. */
  seed: number | string;
  /**
   * Keep class proportions: each class gives its share of the test split, rounded by largest remainder so the
   * total is exact. Default true.
   */
  stratify?: boolean;
}

/**
 * Splits one dataset into train and test (named `<name>/train`, `<name>/test`), each keeping source order.
 * Every sample lands in exactly one split.
 * @throws DatasetError (`invalid-options`) unless exactly one of testFraction / testSize is given and it leaves
 * both splits non-empty; `inconsistent` when a label is outside 0..K-1 (stratified splits).
 */
export function splitDataset(dataset: Dataset, options: SplitOptions): DatasetSplits {
  const N = dataset.size;
  const testSize = resolveTestSize(N, options);
  const rng = createRng(options.seed);
  const isTest = new Uint8Array(N);
  if (options.stratify ?? true) {
    const members = indicesByClass(dataset.y, dataset.numClasses, dataset.name);
    const quotas = largestRemainder(members.map((m) => (m.length * testSize) / N), testSize);
    members.forEach((m, k) => {
      const order = permutation(m.length, rng);
      for (let j = 0; j < quotas[k]; j++) isTest[m[order[j]]] = 1;
    });
  } else {
    const order = permutation(N, rng);
    for (let j = 0; j < testSize; j++) isTest[order[j]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < N; i++) (isTest[i] ? test : train).push(i);
  return {
    train: selectSamples(dataset, train, `${dataset.name}/train`),
    test: selectSamples(dataset, test, `${dataset.name}/test`),
  };
}

function resolveTestSize(N: number, options: SplitOptions): number {
  const { testFraction, testSize } = options;
  if ((testFraction === undefined) === (testSize === undefined)) {
    throw new DatasetError('invalid-options', 'split size', {
      expected: 'exactly one of testFraction and testSize',
      found: `testFraction ${testFraction}, testSize ${testSize}`,
    });
  }
  const size = testSize ?? Math.round((testFraction as number) * N);
  if (!Number.isInteger(size) || size < 1 || size > N - 1) {
    throw new DatasetError('invalid-options', testSize !== undefined ? 'testSize' : 'testFraction', {
      expected: `a test split of 1..${N - 1} samples`,
      found: testSize !== undefined ? String(testSize) : `${testFraction} (${size} samples)`,
    });
  }
  return size;
}

/** Integer parts of `shares` plus one for the largest fractional parts (ties: lower index) until they sum to `total`. */
function largestRemainder(shares: number[], total: number): number[] {
  const counts = shares.map(Math.floor);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((_, k) => k).sort((a, b) => shares[b] - counts[b] - (shares[a] - counts[a]) || a - b);
  for (let i = 0; missing > 0; i++, missing--) counts[byRemainder[i]]++;
  return counts;
}
