/** @rank-collapse/datasets: MNIST, Fashion-MNIST, tiny built-in and synthetic Gaussian-mixture datasets; IDX parsing, balanced subsets, batching. */
export { sampleSize, type Dataset, type DatasetSplits } from './dataset.js';
export { DatasetError, type DatasetErrorCode, type DatasetErrorDetails } from './dataset-error.js';
export { parseIdx, type IdxArray, type IdxData, type IdxDtype, type IdxExpectation } from './parse-idx.js';
export { clearIdxCache, isGzip, readIdxFile } from './read-idx-file.js';
export { clearDatasetCache } from './clear-dataset-cache.js';
export { FASHION_MNIST_DIR, IDX_FILE_NAMES, mnistDataDir, type SplitName } from './idx-image-files.js';
export type { PixelNormalization } from './pixel-normalization.js';
export { PIXEL_STATISTICS, pixelStatistics, type PixelStatistics } from './pixel-statistics.js';
export type { Layout, PixelDatasetOptions } from './pixel-splits.js';
export { loadMnist, MNIST_CLASS_NAMES, type MnistOptions } from './load-mnist.js';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_INSTALL_HINT,
  loadFashionMnist,
  type FashionMnistOptions,
} from './load-fashion-mnist.js';
export { loadTiny, TINY_PER_CLASS, type TinyOptions } from './load-tiny.js';
export type { MeanPlacement } from './class-means.js';
export {
  generateGaussianMixture,
  generateGaussianMixtureSplits,
  type GaussianMixture,
  type GaussianMixtureOptions,
  type GaussianMixtureSplits,
  type GaussianMixtureTruth,
} from './gaussian-mixture.js';
export { DATASET_NAMES, loadDataset, type DatasetName, type LoadDatasetOptions } from './load-dataset.js';
export { selectSamples } from './select-samples.js';
export { balancedSubset, type BalancedSubsetOptions } from './balanced-subset.js';
export { splitDataset, type SplitOptions } from './split-dataset.js';
export { classCounts } from './class-counts.js';
export { validateDataset } from './validate-dataset.js';
export { batchCount, batches, epochOrder, type Batch, type BatchOptions } from './batches.js';
export { oneHot } from './one-hot.js';
