import { createRng, permutation, type Rng } from '@rank-collapse/backend';
import type { Dataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { selectSamples } from './select-samples.js';

/** One mini-batch: `size` samples copied out of the dataset. */
export interface Batch {
  /** size × prod(sampleShape) values, sample-major (a fresh array). */
  x: Float32Array;
  /** size labels. */
  y: Int32Array;
  /** Number of samples (the last batch may be smaller unless `dropLast`). */
  size: number;
  /** Position of each sample in the dataset. */
  indices: Int32Array;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Samples per batch (positive integer). */
  batchSize: number;
  /** Visit samples in a seeded random order (default true); false visits them in dataset order (for analysis). */
  shuffle?: boolean;
  /** Seed of the order; required when shuffling. */
  seed?: number | string;
  /** Epoch number (integer ≥ 0, default 0): each epoch has its own order, fixed by (seed, epoch). */
  epoch?: number;
  /** Skip a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
}

/**
 * The visiting order of one epoch: a permutation of 0..size-1 that depends only on (seed, epoch). Epoch e uses
 * the (e+1)-th stream forked from `createRng(seed)`, so epochs are independent of each other and of batch size.
 * @throws DatasetError (`invalid-options`) for a negative or non-integer epoch.
 */
export function epochOrder(size: number, seed: number | string, epoch = 0): Int32Array {
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new DatasetError('invalid-options', 'epoch', { expected: 'an integer ≥ 0', found: String(epoch) });
  }
  const root = createRng(seed);
  let rng: Rng = root.fork();
  for (let e = 0; e < epoch; e++) rng = root.fork();
  return permutation(size, rng);
}

/** Number of batches {@link batches} yields for `size` samples. */
export function batchCount(size: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/**
 * Yields the dataset in mini-batches, each sample once per epoch: shuffled in the order {@link epochOrder}
 * gives for (seed, epoch), or in dataset order with `shuffle: false`.
 * Options are checked (and the order drawn) when called, not at the first `next()`.
 * @throws DatasetError (`invalid-options`) for a bad batch size or epoch, or a missing seed when shuffling.
 */
export function batches(dataset: Dataset, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize, dropLast = false, shuffle = true } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DatasetError('invalid-options', 'batchSize', { expected: 'an integer ≥ 1', found: String(batchSize) });
  }
  if (shuffle && options.seed === undefined) {
    throw new DatasetError('invalid-options', 'seed', {
      expected: 'a seed when shuffle is true (or shuffle: false for dataset order)',
      found: 'undefined',
    });
  }
  const order = shuffle ? epochOrder(dataset.size, options.seed as number | string, options.epoch ?? 0) : undefined;
  return generate(dataset, batchSize, batchCount(dataset.size, batchSize, dropLast), order);
}

function* generate(dataset: Dataset, batchSize: number, count: number, order?: Int32Array): Generator<Batch, void, undefined> {
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, dataset.size - start);
    const indices = new Int32Array(size);
    for (let i = 0; i < size; i++) indices[i] = order === undefined ? start + i : order[start + i];
    const { x, y } = selectSamples(dataset, indices);
    yield { x, y, size, indices };
  }
}
