/**
 * The executor contract: how trials get computed (in this process, in local worker processes, on queue
 * workers anywhere). Executors never touch the store; they report through the {@link TrialCoordinator}.
 */
import type { TrialSpec } from '../config/expand-grid.js';
import type { TrialResultBundle } from '../store/sweep-store.js';
import type { TrialSink } from '../trial/run-trial.js';
import type { TrialCheckpoint, TrialProgress, TrialRunResult } from '../trial/trial-types.js';

/** The coordinating process's side: the store of record and the reporter. */
export interface TrialCoordinator {
  /** Claims an attempt: the trial becomes `running`, attempts + 1; returns the checkpoint to resume from. */
  start(trial: TrialSpec, worker: string): { attempt: number; resumeFrom?: TrialCheckpoint };
  /** The sink a running attempt writes through (the store, plus progress to the reporter). */
  sink(trial: TrialSpec): TrialSink;
  /** Records how an attempt started with {@link start} ended. */
  finish(trial: TrialSpec, result: TrialRunResult): void;
  /** Applies an attempt computed elsewhere (all its rows and its status) in one transaction. */
  ingest(trial: TrialSpec, bundle: TrialResultBundle): void;
  /** Live progress of an attempt running elsewhere. */
  remoteProgress(trial: TrialSpec, progress: TrialProgress, worker: string): void;
  /** The newest checkpoint the store holds for a trial (to ship to a remote worker). */
  latestCheckpoint(key: string): TrialCheckpoint | undefined;
  /** A line for the reporter. */
  log(message: string): void;
}

/** Computes trials. `run` resolves when every given trial has finished or the signal stopped the sweep. */
export interface Executor {
  /** For logs: e.g. `in-process`, `2 worker processes`, `queue rank-collapse on redis://127.0.0.1:6379`. */
  readonly description: string;
  run(trials: readonly TrialSpec[], coordinator: TrialCoordinator, signal: AbortSignal): Promise<void>;
  /** Drops what the executor remembers about finished trials (a queue's jobs) so they can run again. */
  forget?(keys: readonly string[]): Promise<void>;
}
