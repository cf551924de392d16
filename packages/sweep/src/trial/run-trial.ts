/**
 * Runs one attempt of a trial: builds its context over a sink (the store, a parent process, a job buffer),
 * times it, and turns every way it can end into a {@link TrialRunResult}. Never throws for trial errors.
 */
import type { TrialSpec } from '../config/expand-grid.js';
import type { CompressionResult, StoredEpochRecord } from '@rank-collapse/rows';
import type {
  RecordedLayer,
  TrialCheckpoint,
  TrialContext,
  TrialFunction,
  TrialProgress,
  TrialRunResult,
} from './trial-types.js';

/** Where a running trial's data goes. Each call resolves once the data is durable. */
export interface TrialSink {
  recordEpoch(row: StoredEpochRecord): void | Promise<void>;
  recordLayers(epoch: number, rows: readonly RecordedLayer[]): void | Promise<void>;
  recordSpectrum(epoch: number, layerIndex: number, values: ArrayLike<number>): void | Promise<void>;
  recordCompression(result: CompressionResult): void | Promise<void>;
  saveCheckpoint(checkpoint: TrialCheckpoint): void | Promise<void>;
  progress(progress: TrialProgress): void;
  log(message: string): void;
}

/** Options of {@link runTrial}. */
export interface RunTrialOptions {
  trial: TrialSpec;
  attempt: number;
  resumeFrom?: TrialCheckpoint;
  sink: TrialSink;
  signal?: AbortSignal;
}

/**
 * Runs `trialFunction` once. A thrown error → `failed` with its message; a returned `diverged`/`aborted` is
 * passed on; nothing or `done` → `done`. Invalid records (non-integer epochs, rows without index/layer) throw
 * inside the trial function, so they also end as `failed` with a message naming the problem.
 */
export async function runTrial(trialFunction: TrialFunction, options: RunTrialOptions): Promise<TrialRunResult> {
  const { trial, sink } = options;
  const started = performance.now();
  let lastEpochAt = started;
  const epochMs: number[] = [];
  const signal = options.signal ?? new AbortController().signal;

  const context: TrialContext = {
    key: trial.key,
    config: trial.config,
    axes: trial.axes,
    attempt: options.attempt,
    resumeFrom: options.resumeFrom,
    signal,
    async recordEpoch(row) {
      checkEpoch(row?.epoch, 'recordEpoch: row.epoch');
      const at = performance.now();
      epochMs.push(at - lastEpochAt);
      lastEpochAt = at;
      await sink.recordEpoch(row);
    },
    async recordLayers(epoch, rows) {
      checkEpoch(epoch, 'recordLayers: epoch');
      rows.forEach((row, i) => {
        if (!Number.isInteger(row?.index) || row.index < 0) throw new TypeError(`recordLayers: rows[${i}].index must be an integer ≥ 0, got ${String(row?.index)}`);
        if (typeof row.layer !== 'string') throw new TypeError(`recordLayers: rows[${i}].layer must be a string, got ${typeof row.layer}`);
      });
      await sink.recordLayers(epoch, rows);
    },
    async recordSpectrum(epoch, layerIndex, values) {
      checkEpoch(epoch, 'recordSpectrum: epoch');
      await sink.recordSpectrum(epoch, layerIndex, values);
    },
    async recordCompression(result) {
      checkEpoch(result?.epoch, 'recordCompression: result.epoch');
      if (typeof result.label !== 'string' || result.label === '') throw new TypeError('recordCompression: result.label must be a non-empty string');
      await sink.recordCompression(result);
    },
    async saveCheckpoint(checkpoint) {
      checkEpoch(checkpoint?.epoch, 'saveCheckpoint: checkpoint.epoch');
      if (checkpoint.data === undefined && checkpoint.path === undefined) throw new TypeError('saveCheckpoint: give data (bytes) or path');
      await sink.saveCheckpoint(checkpoint);
    },
    progress: (progress) => sink.progress(progress),
    log: (message) => sink.log(message),
  };

  const finish = (status: TrialRunResult['status'], error?: string): TrialRunResult => ({
    status,
    ...(error !== undefined && { error }),
    durationMs: performance.now() - started,
    epochMs,
  });
  try {
    const outcome = await trialFunction(context);
    if (outcome === undefined || outcome === null || outcome.status === 'done') return finish('done');
    if (outcome.status === 'diverged') {
      const where = outcome.epoch === undefined ? '' : ` at epoch ${outcome.epoch}`;
      return finish('diverged', `${outcome.reason ?? 'diverged'}${where}`);
    }
    if (outcome.status === 'aborted') return finish('aborted', outcome.reason ?? 'aborted');
    return finish('failed', `the trial function returned an unknown status ${JSON.stringify((outcome as { status: unknown }).status)}`);
  } catch (error) {
    if (signal.aborted && isAbortError(error)) return finish('aborted', 'aborted');
    return finish('failed', errorMessage(error));
  }
}

/** A one-line message for anything thrown (Error subclasses keep their name). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function checkEpoch(epoch: unknown, what: string): void {
  if (!Number.isInteger(epoch) || (epoch as number) < 0) throw new TypeError(`${what} must be an integer ≥ 0, got ${String(epoch)}`);
}
