/**
 * Training options as plain validated data (a sweep file can describe them); every default is documented on
 * its field.
 */
import { RankCollapseError } from '@rank-collapse/backend';
import { z } from 'zod';

/** Learning-rate schedule; `warmupEpochs` ramps linearly from lr/steps to lr over that many epochs first. */
export const scheduleSchema = z.discriminatedUnion('kind', [
  /** lr throughout. */
  z.object({ kind: z.literal('constant') }),
  /** lr · gamma^floor(epoch / everyEpochs) (torch StepLR stepped once per epoch). */
  z.object({ kind: z.literal('step'), everyEpochs: z.number().int().positive(), gamma: z.number().positive().default(0.1) }),
  /**
   * Cosine from lr down to minLr, per step: lr (after warmup) until epoch `startEpoch` (default 0), the cosine
   * until `holdEpochs` (default 0) before the end, then minLr for the last `holdEpochs` (a terminal phase at a small rate).
   */
  z.object({
    kind: z.literal('cosine'),
    minLr: z.number().nonnegative().default(0),
    // Optional rather than defaulted, so a cosine schedule written before these options resolves as it did (sweep
    // trial keys hash the resolved config).
    startEpoch: z.number().nonnegative().optional(),
    holdEpochs: z.number().nonnegative().optional(),
  }),
]);
export type Schedule = z.output<typeof scheduleSchema>;

export const trainOptionsSchema = z.object({
  /** Number of passes over the training set. */
  epochs: z.number().int().positive(),
  /** Samples per step; a last partial batch of each epoch is dropped (every step sees batchSize samples). */
  batchSize: z.number().int().positive().default(128),
  /** Base learning rate η. */
  lr: z.number().positive(),
  /** Default constant. */
  schedule: scheduleSchema.default({ kind: 'constant' }),
  /** Linear warmup length in epochs (fractional allowed), default 0. */
  warmupEpochs: z.number().nonnegative().default(0),
  /** Momentum μ, default 0.9. */
  momentum: z.number().min(0).max(1).default(0.9),
  /** λ: the objective adds (λ/2)‖W‖² for every decayed param. Default 0. */
  weightDecay: z.number().nonnegative().default(0),
  /** Whether biases are decayed too (default false: only weights, as science.md's J). */
  decayBiases: z.boolean().default(false),
  /** Whether normalization scales and shifts are decayed (default false). */
  decayNorm: z.boolean().default(false),
  /** Decoupled decay (SGDW): W ← W − η·v − η·λ·W with v ← μv + g, instead of adding λW to the gradient. Default false. */
  decoupledDecay: z.boolean().default(false),
  /** Seed of initialization (when no initial params are given) and of the batch order. Default 0. */
  seed: z.union([z.number().int(), z.string()]).default(0),
  loss: z.enum(['cross-entropy', 'mse']).default('cross-entropy'),
  /** Checkpoint every N epochs (0: only at the end). A checkpoint is always made after the last epoch. Default 0. */
  checkpointEvery: z.number().int().nonnegative().default(0),
  /** Batch size of test evaluation (all samples are evaluated, the last batch may be smaller). Default 1000. */
  evalBatchSize: z.number().int().positive().default(1000),
});

/** Validated options with defaults filled in. */
export type TrainOptions = z.output<typeof trainOptionsSchema>;
/** What a caller writes: defaulted fields may be omitted. */
export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;

/** Invalid training options or inputs (data that does not fit the model, a checkpoint from another run). */
export class TrainingError extends RankCollapseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRAINING', message, options);
  }
}

/**
 * Validates training options and fills in defaults.
 * @throws TrainingError listing each invalid field by its path and what was expected.
 */
export function parseTrainOptions(value: unknown): TrainOptions {
  const result = trainOptionsSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(options)'}: ${issue.message}`);
  throw new TrainingError(`invalid training options: ${issues.join('; ')}`, { cause: result.error });
}
