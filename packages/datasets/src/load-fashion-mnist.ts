import type { DatasetSplits } from './dataset.js';
import { FASHION_MNIST_DIR, readImageSplit } from './idx-image-files.js';
import { PIXEL_STATISTICS } from './pixel-statistics.js';
import { loadPixelSplits, type PixelDatasetOptions } from './pixel-splits.js';

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions extends PixelDatasetOptions {
  /** Folder with the four IDX files (plain or `.gz`); default `/usr/share/datasets/fashion-mnist` (Debian). */
  dir?: string;
}

/** Class names of Fashion-MNIST, index = label. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Appended to the not-found error so the user knows how to get the files. */
export const FASHION_MNIST_INSTALL_HINT =
  'Fashion-MNIST comes from the Debian package dataset-fashion-mnist: install it with `apt-get install dataset-fashion-mnist`, or pass `dir` pointing at the IDX files';

/**
 * Loads Fashion-MNIST: 60000 training and 10000 test images of clothing, 28×28, K = 10.
 * Parsed files and normalized arrays are cached per process: `x` and `y` are shared between calls, read-only.
 * @throws DatasetError `not-found` with the install command when the files are absent; `invalid-format` or
 * `inconsistent` for corrupt files; `invalid-options` for a bad option.
 */
export function loadFashionMnist(options: FashionMnistOptions = {}): DatasetSplits {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  return loadPixelSplits(`fashion-mnist\u0000${dir}`, options, () => {
    const train = readImageSplit(dir, 'train', 10, FASHION_MNIST_INSTALL_HINT);
    const test = readImageSplit(dir, 'test', 10, FASHION_MNIST_INSTALL_HINT);
    return { name: 'fashion-mnist', numClasses: 10, classNames: FASHION_MNIST_CLASS_NAMES, rows: train.rows,
      cols: train.cols, documented: PIXEL_STATISTICS['fashion-mnist'], train, test };
  });
}
