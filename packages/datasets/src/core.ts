/**
 * @rank-collapse/datasets/core: the parts that need no Node.js — the Dataset type, IDX parsing of bytes already
 * in memory, Gaussian mixtures, balanced subsets, splits, batching and one-hot labels. Safe to bundle for a
 * browser or a Web Worker; the file readers (MNIST, Fashion-MNIST, tiny, readIdxFile) stay in the main entry.
 */
export { sampleSize, type Dataset, type DatasetSplits } from './dataset.js';
export { DatasetError, type DatasetErrorCode, type DatasetErrorDetails } from './dataset-error.js';
export { parseIdx, type IdxArray, type IdxData, type IdxDtype, type IdxExpectation } from './parse-idx.js';
export type { PixelNormalization } from './pixel-normalization.js';
export { PIXEL_STATISTICS, pixelStatistics, type PixelStatistics } from './pixel-statistics.js';
export type { MeanPlacement } from './class-means.js';
export {
  generateGaussianMixture,
  generateGaussianMixtureSplits,
  type GaussianMixture,
  type GaussianMixtureOptions,
  type GaussianMixtureSplits,
  type GaussianMixtureTruth,
} from './gaussian-mixture.js';
export { selectSamples } from './select-samples.js';
export { balancedSubset, type BalancedSubsetOptions } from './balanced-subset.js';
export { splitDataset, type SplitOptions } from './split-dataset.js';
export { classCounts } from './class-counts.js';
export { validateDataset } from './validate-dataset.js';
export { batchCount, batches, epochOrder, type Batch, type BatchOptions } from './batches.js';
export { oneHot } from './one-hot.js';
