/**
 * The contract between the sweep runner and the code that computes a trial. The runner never knows how a trial
 * is computed: a {@link TrialFunction} is injected (`@rank-collapse/experiment`'s trains, analyzes and
 * compresses; tests use small ones).
 */
import type { CompressionResult, LayerRecord, StoredEpochRecord } from '@rank-collapse/rows';
import type { ResolvedTrialConfig } from '../config/expand-grid.js';

export { TRIAL_STATUSES, FINISHED_STATUSES, type TrialStatus } from '@rank-collapse/rows';

/**
 * One layer row as a trial function records it: `index` and `layer` required, every field of the row
 * contract typed (a trial function that computes fewer may leave them out), further fields kept as given.
 * `singularValues`, when present, go to the spectra table as float64 instead of the row.
 */
export type RecordedLayer = Pick<LayerRecord, 'index' | 'layer'> &
  Partial<Omit<LayerRecord, 'index' | 'layer' | 'singularValues'>> & {
    singularValues?: ArrayLike<number>;
    [field: string]: unknown;
  };

/** A saved training state: bytes kept in the store, or a file the trial wrote itself. */
export interface TrialCheckpoint {
  /** Epochs completed when the state was saved. */
  epoch: number;
  data?: Uint8Array;
  path?: string;
}

/** Live progress of a running trial, for reporters. */
export interface TrialProgress {
  epoch: number;
  epochs?: number;
  /** A few headline numbers (e.g. loss) to show next to the bar. */
  metrics?: Record<string, number>;
}

/** What a trial function receives. Every `record…`/`save…` call resolves once the data is durable. */
export interface TrialContext {
  readonly key: string;
  readonly config: ResolvedTrialConfig;
  /** Grid values of this trial, by axis name. */
  readonly axes: Readonly<Record<string, unknown>>;
  /** 1 on the first run, incremented on every restart. */
  readonly attempt: number;
  /** The last checkpoint of an earlier interrupted attempt: resume from it (rows after it were discarded). */
  readonly resumeFrom?: TrialCheckpoint;
  /** Aborted when the sweep is stopping; return `{ status: 'aborted' }` soon after (the trial is re-queued). */
  readonly signal: AbortSignal;
  recordEpoch(row: StoredEpochRecord): Promise<void>;
  recordLayers(epoch: number, rows: readonly RecordedLayer[]): Promise<void>;
  recordSpectrum(epoch: number, layerIndex: number, singularValues: ArrayLike<number>): Promise<void>;
  /** Keeps one truncation of the trained network (its own table; upserted by trial, epoch and label). */
  recordCompression(result: CompressionResult): Promise<void>;
  saveCheckpoint(checkpoint: TrialCheckpoint): Promise<void>;
  progress(progress: TrialProgress): void;
  log(message: string): void;
}

/**
 * How a trial ended when it did not throw: `done`; `diverged` (the loss became NaN/∞: a result, not an error);
 * `aborted` (stopped by the signal: it stays queued and resumes from its last checkpoint next time).
 * Returning nothing means `done`. A thrown exception marks the trial `failed` with its message.
 */
export type TrialOutcome =
  | { status: 'done' }
  | { status: 'diverged'; epoch?: number; reason?: string }
  | { status: 'aborted'; reason?: string };

/** Computes one trial through its context. */
export type TrialFunction = (context: TrialContext) => Promise<TrialOutcome | void>;

/** The end of one attempt at a trial, as the runner records it. */
export interface TrialRunResult {
  status: 'done' | 'diverged' | 'failed' | 'aborted';
  /** Error message (failed), divergence reason (diverged) or abort reason. */
  error?: string;
  durationMs: number;
  /** Wall time of each epoch in ms (time between successive `recordEpoch` calls, first from the start). */
  epochMs: number[];
}
