import { createRng, permutation } from '@rank-collapse/backend';
import { DatasetError } from './dataset-error.js';
import { indicesByClass } from './indices-by-class.js';

/** Options of {@link balancedIndices}. */
export interface BalancedIndicesOptions {
  /** Seed of the random choice within each class; omitted: the first `perClass` samples of each class. */
  seed?: number | string;
  /** Dataset name used in error messages. */
  source?: string;
}

/**
 * Picks `perClass` sample indices of every class 0..numClasses-1, returned in ascending order (so the subset keeps
 * the source's sample order). With a seed, the choice within each class is a seeded random one.
 * @throws DatasetError `insufficient-samples` naming the class and its count when a class has fewer than
 * `perClass` samples; `invalid-options` when `perClass` is not a positive integer; `inconsistent` for a label
 * outside 0..numClasses-1.
 */
export function balancedIndices(
  labels: ArrayLike<number>,
  numClasses: number,
  perClass: number,
  options: BalancedIndicesOptions = {},
): Int32Array {
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new DatasetError('invalid-options', 'perClass', { expected: 'a positive integer', found: String(perClass) });
  }
  const byClass = indicesByClass(labels, numClasses, options.source);
  const rng = options.seed === undefined ? undefined : createRng(options.seed);
  const chosen = new Int32Array(numClasses * perClass);
  let count = 0;
  for (let k = 0; k < numClasses; k++) {
    const members = byClass[k];
    if (members.length < perClass) {
      throw new DatasetError('insufficient-samples', `class ${k} has too few samples`, {
        file: options.source,
        expected: `at least ${perClass}`,
        found: `${members.length}`,
      });
    }
    const order = rng === undefined ? undefined : permutation(members.length, rng);
    for (let j = 0; j < perClass; j++) chosen[count++] = members[order === undefined ? j : order[j]];
  }
  return chosen.sort();
}
