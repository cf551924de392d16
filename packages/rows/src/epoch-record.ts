/** The training record of one epoch, and the flat form a store keeps it in. */

/** One row per completed epoch, as training produces it. Losses are mean cross-entropy in nats (the loss the trial trains with); accuracies are fractions in [0, 1]. */
export interface EpochRecord {
  /** Epochs completed, 1-based. */
  readonly epoch: number;
  /** Global SGD steps completed by the end of this epoch. */
  readonly steps: number;
  /** Mean data loss (1/n)Σℓ_i over this epoch's training batches, measured during the epoch (params changing). */
  readonly trainLoss: number;
  /** Share of this epoch's training samples classified correctly at the step that saw them. */
  readonly trainAccuracy: number;
  /** Mean loss over the whole test set with the end-of-epoch params. */
  readonly testLoss: number;
  /** Test accuracy with the end-of-epoch params (inference mode). */
  readonly testAccuracy: number;
  /** Frobenius norm ‖P‖_F of every trainable param at the end of the epoch. */
  readonly weightNorms: Readonly<Record<string, number>>;
  /** (λ/2)Σ‖P‖² over the decayed params: J = trainLoss + penalty up to the in-epoch drift. */
  readonly penalty: number;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  readonly seconds: number;
}

/** The scalar fields of an {@link EpochRecord}, in export order (weight norms follow as `norm:<param>`). */
export const EPOCH_RECORD_FIELDS = ['epoch', 'steps', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'penalty', 'lr', 'seconds'] as const;

/** The four fields a store keeps in columns of their own. */
export const EPOCH_COLUMN_FIELDS = ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'] as const;

/** The flat field of the weight norm of `param` (`norm:dense1.weight`). */
export const weightNormField = (param: string): `norm:${string}` => `norm:${param}`;

/**
 * An epoch as a store keeps it: flat scalars. The {@link EpochRecord} fields a trial recorded (rows of other
 * trial functions or older versions may miss some; NaN and ±∞ read back as null, JSON has no such numbers),
 * `norm:<param>` for each weight norm, the backend that ran it, and any further scalar a trial function adds.
 */
export interface StoredEpochRecord {
  /** Epochs completed (0 = before training). */
  epoch: number;
  steps?: number | null;
  trainLoss?: number | null;
  trainAccuracy?: number | null;
  testLoss?: number | null;
  testAccuracy?: number | null;
  penalty?: number | null;
  lr?: number | null;
  seconds?: number | null;
  /** Name of the backend that trained the epoch. */
  backend?: string;
  [metric: string]: number | string | boolean | null | undefined;
}

/** The stored form of a training record: every scalar, the weight norms as `norm:<param>`, and `extra` (e.g. `{ backend }`). */
export function storedEpochRecord(record: EpochRecord, extra: { backend?: string } = {}): StoredEpochRecord {
  const { weightNorms, ...scalars } = record;
  const row: StoredEpochRecord = { ...scalars, ...extra };
  for (const [param, norm] of Object.entries(weightNorms)) row[weightNormField(param)] = norm;
  return row;
}
