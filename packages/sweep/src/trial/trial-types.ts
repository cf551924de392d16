/**
 * The contract between the sweep runner and the code that computes a trial. The runner never knows how a trial
 * is computed: a {@link TrialFunction} is injected (the CLI's trains and analyzes; tests use small ones).
 */
import type { ResolvedTrialConfig } from '../config/expand-grid.js';

/** Lifecycle of a trial in the store. */
export const TRIAL_STATUSES = ['queued', 'running', 'done', 'failed', 'diverged'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** Statuses after which a trial is not run again. */
export const FINISHED_STATUSES: readonly TrialStatus[] = ['done', 'failed', 'diverged'];

/**
 * Metrics of one epoch. The four named fields get their own columns in the store (null when absent); every
 * field is kept in the row's JSON. Losses are mean cross-entropy in nats; accuracies are fractions in [0, 1].
 */
export interface EpochRecord {
  /** 1-based epoch just completed (0 = before training). */
  epoch: number;
  trainLoss?: number | null;
  trainAccuracy?: number | null;
  testLoss?: number | null;
  testAccuracy?: number | null;
  [metric: string]: number | string | boolean | null | undefined;
}

/**
 * One analysis row for one layer at one checkpoint (a flat record of numbers and strings). `singularValues`,
 * when present, is moved to the spectra table as float64 instead of being kept in the row.
 */
export interface LayerRecord {
  /** 0-based position among analyzed layers. */
  index: number;
  /** Layer name as in the model. */
  layer: string;
  singularValues?: ArrayLike<number>;
  [field: string]: unknown;
}

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
  recordEpoch(row: EpochRecord): Promise<void>;
  recordLayers(epoch: number, rows: readonly LayerRecord[]): Promise<void>;
  recordSpectrum(epoch: number, layerIndex: number, singularValues: ArrayLike<number>): Promise<void>;
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
