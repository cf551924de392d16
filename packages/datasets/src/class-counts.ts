import type { Dataset } from './dataset.js';

/** Number of samples of each class 0..K-1 (labels outside that range are not counted). */
export function classCounts(dataset: Pick<Dataset, 'numClasses' | 'y'>): Int32Array {
  const counts = new Int32Array(dataset.numClasses);
  for (const label of dataset.y) if (label >= 0 && label < counts.length) counts[label]++;
  return counts;
}
