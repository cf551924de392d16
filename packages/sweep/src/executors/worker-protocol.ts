/** Messages between the coordinating process and a local worker process (sent with advanced serialization). */
import type { TrialSpec } from '../config/expand-grid.js';
import type { TrialCheckpoint, TrialFunction, TrialProgress, TrialRunResult } from '../trial/trial-types.js';

/**
 * Where a worker process finds its trial function: `import(modulePath)[exportName]` must be a
 * {@link TrialFunctionFactory}. Functions cannot cross processes, so each process builds its own (and with it
 * its own backend).
 */
export interface TrialModuleReference {
  /** Absolute path or file URL of an ES module. */
  modulePath: string;
  exportName: string;
  /** JSON-serializable options handed to the factory (e.g. which backend to build). */
  options?: unknown;
}

/** Builds the trial function of one worker process. Called once per process. */
export type TrialFunctionFactory = (info: { workerIndex: number; options: unknown }) => TrialFunction | Promise<TrialFunction>;

/** Sink operations that must be acknowledged (they write to the store). */
export type SinkCall =
  | { method: 'recordEpoch'; args: Parameters<import('../trial/run-trial.js').TrialSink['recordEpoch']> }
  | { method: 'recordLayers'; args: Parameters<import('../trial/run-trial.js').TrialSink['recordLayers']> }
  | { method: 'recordSpectrum'; args: Parameters<import('../trial/run-trial.js').TrialSink['recordSpectrum']> }
  | { method: 'recordCompression'; args: Parameters<import('../trial/run-trial.js').TrialSink['recordCompression']> }
  | { method: 'saveCheckpoint'; args: Parameters<import('../trial/run-trial.js').TrialSink['saveCheckpoint']> };

export type ToWorker =
  | { type: 'run'; trial: TrialSpec; attempt: number; resumeFrom?: TrialCheckpoint }
  | { type: 'ack'; seq: number; error?: string }
  | { type: 'abort' }
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | ({ type: 'call'; seq: number } & SinkCall)
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'log'; message: string }
  | { type: 'result'; result: TrialRunResult };
