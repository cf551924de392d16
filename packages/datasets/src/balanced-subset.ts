import type { Dataset } from './dataset.js';
import { balancedIndices } from './balanced-indices.js';
import { selectSamples } from './select-samples.js';

/** Options of {@link balancedSubset}. */
export interface BalancedSubsetOptions {
  /** Samples to keep in every class (positive integer). */
  perClass: number;
  /** Seed of the random choice within each class; omitted: the first `perClass` samples of each class. */
  seed?: number | string;
  /** Name of the result; default: the source's name. */
  name?: string;
}

/**
 * A class-balanced subset: exactly `perClass` samples of each of the K classes, kept in source order.
 * @throws DatasetError `insufficient-samples` naming the class, the number requested and the number available
 * when a class is too small; `invalid-options` for a bad `perClass`.
 */
export function balancedSubset(dataset: Dataset, options: BalancedSubsetOptions): Dataset {
  const indices = balancedIndices(dataset.y, dataset.numClasses, options.perClass, {
    seed: options.seed,
    source: dataset.name,
  });
  return selectSamples(dataset, indices, options.name ?? dataset.name);
}
