/**
 * A labelled classification dataset held in memory.
 *
 * Contract: `x.length === size * prod(sampleShape)`, samples stored one after another (sample-major, each sample
 * in row-major order of `sampleShape`); `y.length === size` with every label in `0..numClasses-1`.
 */
export interface Dataset {
  /** Dataset and split, e.g. `"mnist/train"`. */
  name: string;
  /** K, the number of classes. */
  numClasses: number;
  /** Human-readable name of each class, index = label, when known. */
  classNames?: string[];
  /** Shape of one sample, e.g. `[1, 28, 28]` (channels, height, width) or `[784]`. */
  sampleShape: number[];
  /** N, the number of samples. */
  size: number;
  /** N × prod(sampleShape) values, sample-major. */
  x: Float32Array;
  /** N labels in `0..numClasses-1`. */
  y: Int32Array;
}

/** A training split and a held-out test split of the same data source (same K, classes and sample shape). */
export interface DatasetSplits {
  train: Dataset;
  test: Dataset;
}

/** Number of values in one sample: the product of `sampleShape` (1 for an empty shape). */
export function sampleSize(dataset: Pick<Dataset, 'sampleShape'>): number {
  return dataset.sampleShape.reduce((a, b) => a * b, 1);
}
