/**
 * The zod schema of a sweep file. Sections owned by other packages (model, and the open parts of dataset,
 * training and analysis) are validated loosely here and strictly per trial by schemas the caller injects
 * (see {@link SweepSchemas}), because grid axes such as `model.hidden` change them trial by trial.
 */
import { z } from 'zod';

/**
 * The schema of a backend name. The names are the composition root's (the program that creates backends):
 * it injects them with `backendNames`; without them any non-empty name is accepted here.
 */
const backendNameSchema = (names?: readonly [string, ...string[]]): z.ZodType<string> => (names ? z.enum(names) : z.string().min(1));

const finite = z.number().refine(Number.isFinite, 'a finite number');

const rangeSpec = z.strictObject({
  from: finite,
  to: finite,
  count: z.int().min(1),
});

/** `{ logspace: { from, to, count }, includeZero? }`: count values 10^from … 10^to, evenly spaced in log10. */
const logspaceAxis = z.strictObject({ logspace: rangeSpec, includeZero: z.boolean().default(false) });
/** `{ linspace: { from, to, count } }`: count evenly spaced values from … to. */
const linspaceAxis = z.strictObject({ linspace: rangeSpec });

const numberAxis = (item: z.ZodNumber | z.ZodType<number>, what: string) =>
  z.union([z.array(item).min(1), logspaceAxis, linspaceAxis], {
    error: `a non-empty list of ${what}, or { logspace: { from, to, count }, includeZero? }, or { linspace: { from, to, count } }`,
  });

/** A list axis over any JSON values (used for `model.*`, `dataset.*`, … paths). */
const anyAxis = z.union([z.array(z.unknown()).min(1), logspaceAxis, linspaceAxis], {
  error: 'a non-empty list of values, or { logspace: { from, to, count }, includeZero? }, or { linspace: { from, to, count } }',
});

/** Grid axes with a short name, and the resolved-config path each one sets. */
export const GRID_SHORTHANDS = {
  weightDecay: 'training.weightDecay',
  lr: 'training.lr',
  momentum: 'training.momentum',
  batchSize: 'training.batchSize',
  epochs: 'training.epochs',
  seed: 'seed',
  backend: 'backend',
  subsetPerClass: 'dataset.subsetPerClass',
} as const;

/** Sections a dotted grid axis (`model.hidden`, `dataset.name`, …) may reach into. */
export const GRID_PATH_ROOTS = ['model', 'dataset', 'training', 'analysis'] as const;

const epochCount = z.int().min(1);
const nonNegative = z.number().min(0).refine(Number.isFinite, 'a finite number');
const positive = z.number().positive().refine(Number.isFinite, 'a finite number');

const gridSchema = (backend: z.ZodType<string>) => z
  .strictObject({
    weightDecay: numberAxis(nonNegative, 'numbers ≥ 0').optional(),
    lr: numberAxis(positive, 'numbers > 0').optional(),
    momentum: numberAxis(z.number().min(0).max(1), 'numbers in [0, 1]').optional(),
    batchSize: z.array(z.int().min(1)).min(1).optional(),
    epochs: z.array(epochCount).min(1).optional(),
    seed: z.array(z.int()).min(1).optional(),
    backend: z.array(backend).min(1).optional(),
    subsetPerClass: z.array(z.int().min(1)).min(1).optional(),
  })
  .catchall(anyAxis)
  .superRefine((grid, ctx) => {
    for (const key of Object.keys(grid)) {
      if (key in GRID_SHORTHANDS) continue;
      const root = key.split('.')[0];
      if (key.includes('.') && (GRID_PATH_ROOTS as readonly string[]).includes(root) && !key.split('.').includes('')) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `a grid axis: one of ${Object.keys(GRID_SHORTHANDS).join(', ')}, or a dotted path starting with ${GRID_PATH_ROOTS.map((r) => `${r}.`).join(', ')}`,
        params: { unknownKey: key, candidates: Object.keys(GRID_SHORTHANDS) },
      });
    }
  });

/** Which epochs to analyze: a list, every epoch, every n-th epoch (the last is always included), or the last only. */
export const checkpointsSchema = z.union(
  [z.array(z.int().min(0)).min(1), z.literal('every'), z.literal('final'), z.strictObject({ every: z.int().min(1) })],
  { error: 'a non-empty list of epochs (integers ≥ 0), "every", "final", or { every: n }' },
);
export type CheckpointsSpec = z.output<typeof checkpointsSchema>;

export const datasetSectionSchema = z.looseObject({
  name: z.string().min(1),
  subsetPerClass: z.int().min(1).optional(),
});

export const trainingSectionSchema = z.looseObject({
  epochs: epochCount,
  batchSize: z.int().min(1),
  lr: positive,
  momentum: z.number().min(0).max(1).default(0),
  weightDecay: nonNegative.default(0),
  schedule: z
    .union([z.string().min(1), z.looseObject({ type: z.string().min(1) })], {
      error: 'a schedule name (e.g. "constant", "cosine") or an object { type, … }',
    })
    .default('constant'),
});

export const analysisSectionSchema = z.looseObject({
  checkpoints: checkpointsSchema.default('final'),
  rankTolerance: z
    .union([positive, z.array(positive).min(1)], { error: 'a number > 0 or a non-empty list of them' })
    .default(1e-3),
  singularValues: z.boolean().default(false),
});

/**
 * The schema of a whole sweep file, as validated before grid expansion. `backendNames` (the composition
 * root's, e.g. `onnx`, `tfjs`, `reference`, `auto`) restricts `backend` and the `backend` grid axis.
 */
export const sweepConfigSchemaFor = (options: { backendNames?: readonly [string, ...string[]] } = {}) => {
  const backend = backendNameSchema(options.backendNames);
  return z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, ".", "_" or "-", starting with a letter or digit'),
  description: z.string().optional(),
  dataset: datasetSectionSchema,
  model: z.record(z.string(), z.unknown()),
  training: trainingSectionSchema,
  grid: gridSchema(backend).default({}),
  analysis: analysisSectionSchema.default({ checkpoints: 'final', rankTolerance: 1e-3, singularValues: false }),
  backend: backend.default('auto'),
  seed: z.int().default(0),
  });
};

/** {@link sweepConfigSchemaFor} without backend names: any non-empty backend name is accepted. */
export const sweepConfigSchema = sweepConfigSchemaFor();

/** A validated sweep file (defaults filled in). */
export type SweepConfig = z.output<typeof sweepConfigSchema>;
/** What a sweep file may contain before defaults are applied. */
export type SweepConfigInput = z.input<typeof sweepConfigSchema>;
