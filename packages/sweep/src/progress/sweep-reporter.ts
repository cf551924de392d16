/** What a sweep tells about itself while it runs. Reporters render it (bars on a TTY, plain lines, nothing). */
import type { TrialSpec } from '../config/expand-grid.js';
import type { TrialStatus } from '../trial/trial-types.js';
import type { TrialProgress, TrialRunResult } from '../trial/trial-types.js';

export interface SweepStartInfo {
  name: string;
  /** Trials in the grid. */
  total: number;
  /** Trials already finished in the store (skipped this run). */
  finished: number;
  /** How the trials will be computed. */
  executor: string;
}

export interface SweepSummary {
  name: string;
  total: number;
  /** Attempts started by this run. */
  ran: number;
  /** Trials skipped because they had finished before this run. */
  skipped: number;
  counts: Record<TrialStatus, number>;
  durationMs: number;
  /** True when the sweep was stopped by its signal before every trial finished. */
  interrupted: boolean;
}

/** Receives sweep events; every method is optional to implement through {@link SweepReporter}. */
export interface SweepReporter {
  sweepStarted(info: SweepStartInfo): void;
  trialStarted(trial: TrialSpec, info: { attempt: number; worker: string; resumeEpoch?: number }): void;
  trialProgress(trial: TrialSpec, progress: TrialProgress): void;
  trialFinished(trial: TrialSpec, result: Pick<TrialRunResult, 'status' | 'error' | 'durationMs'>): void;
  log(message: string): void;
  sweepFinished(summary: SweepSummary): void;
}

/** A reporter that ignores everything (tests, `--quiet`). */
export function createSilentReporter(): SweepReporter {
  const ignore = (): void => {};
  return { sweepStarted: ignore, trialStarted: ignore, trialProgress: ignore, trialFinished: ignore, log: ignore, sweepFinished: ignore };
}
