/** @rank-collapse/datasets: MNIST, Fashion-MNIST, tiny built-in and synthetic Gaussian-mixture datasets; IDX parsing, balanced subsets, batching. */
// Everything that needs no Node.js lives in ./core (the browser entry); this entry adds the file readers.
export * from './core.js';
export { clearIdxCache, isGzip, readIdxFile } from './read-idx-file.js';
export { clearDatasetCache } from './clear-dataset-cache.js';
export { FASHION_MNIST_DIR, IDX_FILE_NAMES, mnistDataDir, type SplitName } from './idx-image-files.js';
export type { Layout, PixelDatasetOptions } from './pixel-splits.js';
export { loadMnist, MNIST_CLASS_NAMES, type MnistOptions } from './load-mnist.js';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_INSTALL_HINT,
  loadFashionMnist,
  type FashionMnistOptions,
} from './load-fashion-mnist.js';
export { loadTiny, TINY_PER_CLASS, type TinyOptions } from './load-tiny.js';
export { DATASET_NAMES, loadDataset, type DatasetName, type LoadDatasetOptions } from './load-dataset.js';
