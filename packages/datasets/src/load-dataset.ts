import type { DatasetSplits } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import {
  generateGaussianMixtureSplits,
  type GaussianMixtureOptions,
  type GaussianMixtureSplits,
} from './gaussian-mixture.js';
import { loadFashionMnist, type FashionMnistOptions } from './load-fashion-mnist.js';
import { loadMnist, type MnistOptions } from './load-mnist.js';
import { loadTiny, type TinyOptions } from './load-tiny.js';

/** Names accepted by {@link loadDataset}. */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'tiny', 'gaussian-mixture'] as const;

/** One of {@link DATASET_NAMES}. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options of {@link loadDataset}: `name` picks the source, the other fields are that source's options. */
export type LoadDatasetOptions =
  | ({ name: 'mnist' } & MnistOptions)
  | ({ name: 'fashion-mnist' } & FashionMnistOptions)
  | ({ name: 'tiny' } & TinyOptions)
  | ({ name: 'gaussian-mixture' } & GaussianMixtureOptions);

/**
 * Loads a dataset's train and test splits by name. Gaussian mixtures also return their population statistics
 * (`truth`).
 * @throws DatasetError (`invalid-options`) for an unknown name, and whatever the named loader throws.
 */
export function loadDataset(options: { name: 'gaussian-mixture' } & GaussianMixtureOptions): GaussianMixtureSplits;
export function loadDataset(options: LoadDatasetOptions): DatasetSplits;
export function loadDataset(options: LoadDatasetOptions): DatasetSplits {
  switch (options.name) {
    case 'mnist':
      return loadMnist(options);
    case 'fashion-mnist':
      return loadFashionMnist(options);
    case 'tiny':
      return loadTiny(options);
    case 'gaussian-mixture':
      return generateGaussianMixtureSplits(options);
    default:
      throw new DatasetError('invalid-options', 'dataset name', {
        expected: DATASET_NAMES.join(', '),
        found: JSON.stringify((options as { name: unknown }).name),
      });
  }
}
