/**
 * The schemas of an experiment's config sections, injected into sweep-file validation for the sections other
 * packages own. Each runs per trial after the grid values are set, so an error names the field (and the grid
 * value) that is wrong, and each fills in defaults so the trial key covers them.
 */
import { DATASET_NAMES } from '@rank-collapse/datasets';
import { modelConfigSchema } from '@rank-collapse/models';
import type { SweepSchemas } from '@rank-collapse/sweep';
import { checkpointsSchema } from '@rank-collapse/sweep';
import { trainOptionsSchema } from '@rank-collapse/training';
import { z } from 'zod';

const positiveInt = z.int().min(1);

/**
 * `dataset:` — which data a trial trains and is analyzed on.
 * `subsetPerClass`: a class-balanced training subset (default: the whole training split);
 * `testSubsetPerClass`: the same for the test split evaluated after every epoch (default: all of it);
 * `subsetSeed`: seed of the subset choice (default 0, the same subset for every trial seed);
 * `normalization`: pixel scaling (default `unit`: p/255); `dir`: a folder with the IDX files;
 * `options`: further options of the loader (e.g. Gaussian-mixture parameters).
 */
export const experimentDatasetSchema = z.strictObject({
  name: z.enum(DATASET_NAMES),
  subsetPerClass: positiveInt.optional(),
  testSubsetPerClass: positiveInt.optional(),
  subsetSeed: z.int().default(0),
  normalization: z.enum(['unit', 'standardize', 'standardize-train', 'raw']).default('unit'),
  dir: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type ExperimentDataset = z.output<typeof experimentDatasetSchema>;

/** Sweep files name a schedule as `constant`/`cosine`/`step` or `{ type, … }`; the training package as `{ kind, … }`. */
function scheduleToKind(section: unknown): unknown {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return section;
  const { schedule, ...rest } = section as Record<string, unknown>;
  if (typeof schedule === 'string') return { ...rest, schedule: { kind: schedule } };
  if (schedule && typeof schedule === 'object' && 'type' in schedule) {
    const { type, ...options } = schedule as Record<string, unknown>;
    return { ...rest, schedule: { kind: type, ...options } };
  }
  return section;
}

/**
 * `training:` — the training package's options (epochs, batchSize, lr, momentum, weightDecay, schedule,
 * warmupEpochs, decayBiases, decoupledDecay, loss, evalBatchSize, …), unknown fields rejected. `seed` and
 * `checkpointEvery` are set by the trial from the sweep's `seed` and the trial function's options.
 */
export const experimentTrainingSchema = z.preprocess(scheduleToKind, trainOptionsSchema.omit({ seed: true, checkpointEvery: true }).strict());
export type ExperimentTraining = z.output<typeof experimentTrainingSchema>;

const positive = z.number().positive();
const rankChoice = z.union([z.strictObject({ rank: z.union([positiveInt, z.literal('K')]) }), z.strictObject({ energy: z.number().gt(0).lt(1) })], {
  error: '{ rank: r } (an integer ≥ 1, or "K" for the number of classes) or { energy: ε } with 0 < ε < 1',
});

/**
 * `analysis:` — when and how trials are analyzed. `checkpoints` (epochs; 0 = the initialization),
 * `rankTolerance` (one number, or a list: the first drives `numericalRank`, each adds `numericalRank@tol`),
 * `singularValues` (store every spectrum), `normalizedRankTolerance`, `energyEpsilon`, `batchSize`,
 * `data` (`train`: the training set the trial was trained on, the default; `test`), and `compress`
 * (after the last epoch: test accuracy with every layer truncated to rank r or to keep 1 − ε of its energy).
 */
export const experimentAnalysisSchema = z.strictObject({
  checkpoints: checkpointsSchema.default('final'),
  rankTolerance: z.union([positive, z.array(positive).min(1)], { error: 'a number > 0 or a non-empty list of them' }).default(1e-3),
  singularValues: z.boolean().default(false),
  normalizedRankTolerance: positive.default(1e-3),
  energyEpsilon: z.number().gt(0).lt(1).default(1e-2),
  batchSize: positiveInt.default(1000),
  data: z.enum(['train', 'test']).default('train'),
  compress: z.array(rankChoice).optional(),
});
export type ExperimentAnalysis = z.output<typeof experimentAnalysisSchema>;

/** Every injected schema, for `expandGrid`/`loadSweepFile`. */
export const EXPERIMENT_SCHEMAS: SweepSchemas = {
  dataset: experimentDatasetSchema,
  model: modelConfigSchema,
  training: experimentTrainingSchema,
  analysis: experimentAnalysisSchema,
};
