import { balancedSubset, loadDataset, type DatasetSplits, type LoadDatasetOptions } from '@rank-collapse/datasets';
import type { ExperimentDataset } from './experiment-schemas.js';

/**
 * Loads a trial's train and test splits: the named dataset (cached per process by the datasets package), then
 * the class-balanced subsets the section asks for, chosen with `subsetSeed`.
 * @throws DatasetError when the files are missing or a subset asks for more samples than a class has.
 */
export function loadTrialData(section: ExperimentDataset): DatasetSplits {
  const options = {
    ...section.options,
    name: section.name,
    normalization: section.normalization,
    ...(section.dir !== undefined && { dir: section.dir }),
  } as LoadDatasetOptions;
  const splits = loadDataset(options);
  const train = section.subsetPerClass === undefined ? splits.train : balancedSubset(splits.train, { perClass: section.subsetPerClass, seed: section.subsetSeed });
  const test = section.testSubsetPerClass === undefined ? splits.test : balancedSubset(splits.test, { perClass: section.testSubsetPerClass, seed: section.subsetSeed });
  return { train, test };
}
