import type { Dataset } from '../dataset.js';

/**
 * Test helper: a dataset whose sample i is the row [i, i + 0.5] with label `labels[i]`, so every row tells
 * which source sample it came from.
 */
export function toyDataset(labels: number[], numClasses = Math.max(...labels) + 1): Dataset {
  const size = labels.length;
  const x = new Float32Array(size * 2);
  for (let i = 0; i < size; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = i + 0.5;
  }
  return { name: 'toy', numClasses, sampleShape: [2], size, x, y: Int32Array.from(labels) };
}

/** Source index of each row of a dataset derived from {@link toyDataset}. */
export function sourceIndices(dataset: Pick<Dataset, 'x' | 'size'>): number[] {
  return Array.from({ length: dataset.size }, (_, i) => dataset.x[2 * i]);
}
