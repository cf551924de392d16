import { DatasetError } from './dataset-error.js';

/**
 * Sample indices grouped by label: entry k lists, in ascending order, the samples whose label is k.
 * @param source dataset name used in error messages.
 * @throws DatasetError (`inconsistent`) when a label is not an integer in 0..numClasses-1.
 */
export function indicesByClass(labels: ArrayLike<number>, numClasses: number, source?: string): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const group = groups[labels[i]];
    if (group === undefined) {
      throw new DatasetError('inconsistent', `label of sample ${i}`, {
        file: source,
        expected: `an integer in 0..${numClasses - 1}`,
        found: String(labels[i]),
      });
    }
    group.push(i);
  }
  return groups;
}
