import { existsSync, statSync } from 'node:fs';
import { DATASET_NAMES, balancedSubset, loadDataset, type Dataset, type DatasetName } from '@rank-collapse/datasets';
import { UsageError } from '../cli-error.js';
import { resolvePath, type CliIo } from '../cli-io.js';

/** Options of {@link loadCliData}. */
export interface CliDataOptions {
  /** A dataset name (mnist, fashion-mnist, tiny, gaussian-mixture) or a folder with MNIST-format IDX files. */
  data: string;
  split: 'train' | 'test';
  /** Class-balanced subset of this many samples per class. */
  perClass?: number;
}

/**
 * Loads the data `--data` names. A path is a folder holding the four IDX files of an MNIST-format dataset
 * (`train-images-idx3-ubyte`, … plain or `.gz`).
 * @throws UsageError for a name that is neither a dataset nor an existing folder; DatasetError from the loader.
 */
export function loadCliData(options: CliDataOptions): Dataset {
  const { data } = options;
  let splits;
  if ((DATASET_NAMES as readonly string[]).includes(data)) splits = loadDataset({ name: data as DatasetName } as Parameters<typeof loadDataset>[0]);
  else if (existsSync(data) && statSync(data).isDirectory()) splits = loadDataset({ name: 'mnist', dir: data });
  else throw new UsageError(`--data: "${data}" is neither a dataset (${DATASET_NAMES.join(', ')}) nor a folder of IDX files`);
  const dataset = splits[options.split];
  return options.perClass === undefined ? dataset : balancedSubset(dataset, { perClass: options.perClass, seed: 0 });
}

/** `--data` as given: a dataset name stays, anything else is a path resolved against the invocation directory. */
export const dataArgument = (io: Pick<CliIo, 'cwd'>, value: string): string =>
  (DATASET_NAMES as readonly string[]).includes(value) ? value : resolvePath(io, value);
