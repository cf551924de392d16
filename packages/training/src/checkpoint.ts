import type { HostTensor } from '@rank-collapse/backend';
import type { EpochRecord } from './epoch-record.js';

export const CHECKPOINT_FORMAT = 'rank-collapse-checkpoint/1';

/**
 * The complete training state after a whole number of epochs. The batch order is a pure function of
 * (seed, epoch), so (seed, epoch, step) is the whole random state: resuming from a checkpoint repeats exactly
 * what an uninterrupted run would have done.
 */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Epochs completed. */
  readonly epoch: number;
  /** Global SGD steps completed. */
  readonly step: number;
  /** The run's seed (options.seed). */
  readonly seed: number | string;
  /** Every model param (running stats included), as downloaded from the backend (Float64Array data is kept). */
  readonly params: ReadonlyMap<string, HostTensor>;
  /** Momentum buffer of every trainable param, keyed by the param's name. */
  readonly velocities: ReadonlyMap<string, HostTensor>;
  /** Records of the epochs completed so far. */
  readonly epochs: readonly EpochRecord[];
  /** Free JSON the caller attaches (e.g. a trial key); kept through files. */
  readonly meta?: Readonly<Record<string, unknown>>;
}
