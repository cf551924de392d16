import type { Dataset, DatasetSplits } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { applyPixelTransform, pixelTransform, type PixelNormalization } from './pixel-normalization.js';
import type { PixelStatistics } from './pixel-statistics.js';

/** Sample layout: `'flat'` gives `sampleShape [rows·cols]`, `'image'` gives `[1, rows, cols]` (CHW). */
export type Layout = 'flat' | 'image';

/** Options shared by the image datasets (MNIST, Fashion-MNIST, tiny). */
export interface PixelDatasetOptions {
  /** Sample layout; default `'flat'`. The values are the same, only `sampleShape` differs. */
  layout?: Layout;
  /** Pixel normalization; default `'unit'` (p / 255). */
  normalization?: PixelNormalization;
}

/** Raw pixels (0..255, N × rows × cols) and labels of one split. */
export interface RawPixels {
  pixels: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** What {@link loadPixelSplits} needs to know about the source. */
export interface PixelSource {
  /** Dataset name; splits are named `<name>/train` and `<name>/test`. */
  name: string;
  numClasses: number;
  classNames: string[];
  rows: number;
  cols: number;
  /** Constants for `normalization: 'standardize'`. */
  documented: PixelStatistics;
  train: RawPixels;
  test: RawPixels;
}

/**
 * Normalized splits kept per (dataset, folder, normalization) for the life of the process: turning 70000 MNIST
 * images into floats touches 220 MB of fresh memory, which costs far more than the arithmetic. Both layouts
 * share one entry, since they differ only in `sampleShape`.
 */
const cache = new Map<string, { source: Omit<PixelSource, 'train' | 'test'>; train: Dataset; test: Dataset }>();

/**
 * Returns normalized splits of an image source, building them with `read()` on first use. The returned `x` and
 * `y` arrays are shared by every call with the same `cacheKey` and normalization: treat them as read-only
 * (copy with `selectSamples` or `slice()` to modify).
 * @param cacheKey identifies the files read (e.g. name and folder).
 * @throws DatasetError (`invalid-options`) for an unknown layout or normalization, and whatever `read` throws.
 */
export function loadPixelSplits(cacheKey: string, options: PixelDatasetOptions, read: () => PixelSource): DatasetSplits {
  const layout = options.layout ?? 'flat';
  if (layout !== 'flat' && layout !== 'image') {
    throw new DatasetError('invalid-options', 'layout', { expected: "'flat' or 'image'", found: JSON.stringify(layout) });
  }
  const normalization = options.normalization ?? 'unit';
  const key = `${cacheKey}\u0000${JSON.stringify(normalization)}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    const source = read();
    const transform = pixelTransform(normalization, source.documented, source.train.pixels);
    const build = (split: 'train' | 'test'): Dataset => ({
      name: `${source.name}/${split}`,
      numClasses: source.numClasses,
      sampleShape: [],
      size: source[split].labels.length,
      x: applyPixelTransform(source[split].pixels, transform),
      y: Int32Array.from(source[split].labels),
    });
    entry = { source, train: build('train'), test: build('test') };
    cache.set(key, entry);
  }
  const { rows, cols, classNames } = entry.source;
  const sampleShape = layout === 'flat' ? [rows * cols] : [1, rows, cols];
  // Fresh wrapper objects so a caller changing name or shape does not affect other callers.
  const view = (d: Dataset): Dataset => ({ ...d, classNames: [...classNames], sampleShape: [...sampleShape] });
  return { train: view(entry.train), test: view(entry.test) };
}

/** Forgets every cached normalized split (the parsed-file cache is separate: see `clearIdxCache`). */
export function clearPixelSplitsCache(): void {
  cache.clear();
}
