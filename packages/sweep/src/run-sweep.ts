/**
 * Runs a sweep: records it and its trials in the store, skips trials that already finished, re-queues trials
 * a dead process left `running`, and hands the rest to an executor. Rerunning the same sweep resumes it.
 */
import type { TrialSpec } from './config/expand-grid.js';
import type { Executor, TrialCoordinator } from './executors/executor.js';
import { createSilentReporter, type SweepReporter, type SweepSummary } from './progress/sweep-reporter.js';
import type { SweepStore } from './store/sweep-store.js';
import { SweepStoreError } from './store/sweep-store-error.js';
import type { TrialSink } from './trial/run-trial.js';
import { FINISHED_STATUSES, type TrialStatus } from './trial/trial-types.js';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Sweep name and its config as written (kept in the store for reports). */
  sweep: { name: string; config: unknown; file?: string };
  /** The expanded grid (see `expandGrid`/`loadSweepFile`). */
  trials: readonly TrialSpec[];
  store: SweepStore;
  executor: Executor;
  /** Default: silent. */
  reporter?: SweepReporter;
  /** Also run trials that ended `failed` (default false: finished trials are never run again). */
  retryFailed?: boolean;
  /** Stops the sweep: running attempts are asked to abort, and stay queued for the next run. */
  signal?: AbortSignal;
  /**
   * Allow a store that already holds sweeps of other names (default false: a store belongs to one sweep, so
   * a sweep written into the wrong folder is refused instead of mixed into another sweep's results).
   */
  append?: boolean;
}

/**
 * Runs every trial that has not finished and resolves with a summary. Trial failures do not reject: they are
 * recorded as `failed` and the sweep continues.
 * @throws SweepStoreError (code `other-sweep`) when the store holds another sweep and `append` is not set;
 *   otherwise only for infrastructure errors (store unwritable, executor unable to start).
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepSummary> {
  const { store, executor, trials } = options;
  const reporter = options.reporter ?? createSilentReporter();
  const started = performance.now();
  const name = options.sweep.name;

  const others = store.sweepNames().filter((other) => other !== name);
  if (others.length > 0 && !options.append) {
    const path = store.path;
    throw new SweepStoreError(
      'other-sweep',
      path,
      `${path} holds the sweep ${others.map((other) => `"${other}"`).join(', ')}, not "${name}": write this sweep to another store, or allow a store with several sweeps (append)`,
      { sweeps: others },
    );
  }
  store.upsertSweep(name, options.sweep.config, options.sweep.file);
  store.addTrials(name, trials);
  const requeued = store.requeueRunning(name);
  if (requeued.length > 0) reporter.log(`re-queued ${requeued.length} trial(s) interrupted in an earlier run`);
  if (options.retryFailed) {
    const failed = trials.filter((trial) => store.getTrial(trial.key)?.status === 'failed').map((trial) => trial.key);
    if (failed.length > 0) {
      await executor.forget?.(failed);
      store.requeue(failed);
    }
  }

  const pending = trials.filter((trial) => !FINISHED_STATUSES.includes(store.getTrial(trial.key)?.status as TrialStatus));
  const skipped = trials.length - pending.length;
  reporter.sweepStarted({ name, total: trials.length, finished: skipped, executor: executor.description });

  let ran = 0;
  const startedRemotely = new Set<string>();
  const coordinator: TrialCoordinator = {
    start(trial, worker) {
      ran += 1;
      const claim = store.startAttempt(trial.key, worker);
      reporter.trialStarted(trial, { attempt: claim.attempt, worker, resumeEpoch: claim.resumeFrom?.epoch });
      return claim;
    },
    sink(trial): TrialSink {
      return {
        recordEpoch: (row) => store.recordEpoch(trial.key, row),
        recordLayers: (epoch, rows) => store.recordLayers(trial.key, epoch, rows),
        recordSpectrum: (epoch, layerIndex, values) => store.recordSpectrum(trial.key, epoch, layerIndex, values),
        recordCompression: (result) => store.recordCompression(trial.key, result),
        saveCheckpoint: (checkpoint) => store.saveCheckpoint(trial.key, checkpoint),
        progress: (progress) => reporter.trialProgress(trial, progress),
        log: (message) => reporter.log(`[${trial.index}] ${message}`),
      };
    },
    finish(trial, result) {
      store.finishAttempt(trial.key, result);
      reporter.trialFinished(trial, result);
    },
    ingest(trial, bundle) {
      store.applyResult(trial.key, bundle);
      if (!startedRemotely.has(trial.key)) {
        ran += 1;
        reporter.trialStarted(trial, { attempt: bundle.attempts, worker: bundle.worker });
      }
      startedRemotely.delete(trial.key);
      reporter.trialFinished(trial, bundle.result);
    },
    remoteProgress(trial, progress, worker) {
      if (!startedRemotely.has(trial.key)) {
        startedRemotely.add(trial.key);
        ran += 1;
        reporter.trialStarted(trial, { attempt: 0, worker });
      }
      reporter.trialProgress(trial, progress);
    },
    latestCheckpoint: (key) => store.latestCheckpoint(key),
    log: (message) => reporter.log(message),
  };

  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    if (pending.length > 0) await executor.run(pending, coordinator, controller.signal);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  const counts = store.statusCounts(name);
  const summary: SweepSummary = {
    name,
    total: trials.length,
    ran,
    skipped,
    counts,
    durationMs: performance.now() - started,
    interrupted: controller.signal.aborted && counts.queued + counts.running > 0,
  };
  reporter.sweepFinished(summary);
  return summary;
}
