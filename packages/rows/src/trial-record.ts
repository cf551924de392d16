/** A trial of a sweep as a store records it: its resolved config, grid values, status and timings. */

/** Lifecycle of a trial in the store. */
export const TRIAL_STATUSES = ['queued', 'running', 'done', 'failed', 'diverged'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** Statuses after which a trial is not run again. */
export const FINISHED_STATUSES: readonly TrialStatus[] = ['done', 'failed', 'diverged'];

/**
 * The parts of a resolved trial config every reader may rely on (a sweep's schemas fill them in); the
 * sections keep every other field as written.
 */
export interface TrialConfigRecord {
  dataset: { name: string; subsetPerClass?: number; [field: string]: unknown };
  model: Record<string, unknown>;
  training: { epochs: number; batchSize: number; lr: number; momentum: number; weightDecay: number; [field: string]: unknown };
  analysis: { [field: string]: unknown };
  seed: number;
  /** Backend name the trial asked for (`auto` lets the program pick). */
  backend: string;
}

/** Fields of a {@link TrialRecord}, in export order. */
export const TRIAL_RECORD_FIELDS = [
  'key',
  'sweep',
  'index',
  'config',
  'axes',
  'status',
  'attempts',
  'error',
  'worker',
  'queuedAt',
  'startedAt',
  'finishedAt',
  'durationMs',
  'timings',
] as const;

/** A trial as stored. Times are ISO 8601 strings. */
export interface TrialRecord<Config extends TrialConfigRecord = TrialConfigRecord> {
  /** Trial key: sha256 of the canonical JSON of `config`. */
  key: string;
  /** Name of the sweep it belongs to. */
  sweep: string;
  /** Position in the grid (0-based, in expansion order). */
  index: number;
  config: Config;
  /** Grid values of this trial, by axis name as written in the sweep file. */
  axes: Record<string, unknown>;
  status: TrialStatus;
  attempts: number;
  /** Error message (failed) or divergence reason (diverged). */
  error: string | null;
  /** Which worker ran the latest attempt. */
  worker: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Wall time of each epoch in ms. */
  timings: { epochMs: number[] } | null;
}
