/**
 * The `sweep` command's action, loaded only when it runs: it brings in the store (SQLite), the executors,
 * training and the report (vega), which `rank-collapse sweep --help` does not need.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  createInProcessExecutor,
  createLineReporter,
  createProgressReporter,
  createQueueExecutor,
  createSilentReporter,
  createWorkerProcessExecutor,
  describeLockOwner,
  fileSystemErrorText,
  openSweepStore,
  runSweep,
  SweepStoreError,
  type Executor,
  type SweepReporter,
  type SweepStore,
  type TrialSpec,
} from '@rank-collapse/sweep';
import { createBackendCache } from '../backends/select-backend.js';
import { CliError, UsageError } from '../cli-error.js';
import { resolvePath } from '../cli-io.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatNumber } from '../format/format-number.js';
import { renderTable } from '../format/render-table.js';
import { trialSummaries, type TrialSummary } from '../format/trial-summary.js';
import { listPresets, presetFile } from '../presets/presets.js';
import { writeReport } from '../report/write-report.js';
import { createTrialFunction } from '../trial/create-trial-function.js';
import { loadCliSweep } from '../trial/load-sweep.js';
import { TRIAL_MODULE_URL, type WorkerTrialOptions } from '../trial/trial-module.js';
import { writeJson, type CommandContext } from './command-context.js';
import type { SweepFlags, SweepJson } from './sweep-command.js';
import type { CliIo } from '../cli-io.js';

/** Runs `rank-collapse sweep` with parsed arguments. */
export async function runSweepCommand(context: CommandContext, file: string | undefined, flags: SweepFlags): Promise<void> {
  const { io } = context;
  if (flags.listPresets) {
    const presets = listPresets();
    if (flags.json) writeJson(io, presets);
    else io.stdout(`${renderTable([{ header: 'preset', value: (p) => p.name }, { header: 'description', value: (p) => p.description }], presets)}\n`);
    return;
  }
  if ((file === undefined) === (flags.preset === undefined)) throw new UsageError('sweep: give a sweep file or --preset NAME (not both)');
  const source = flags.preset !== undefined ? presetFile(flags.preset) : resolvePath(io, file!);
  const sweep = await loadCliSweep(source, { backend: flags.backend, displayName: flags.preset !== undefined ? `preset ${flags.preset}` : file });
  const outDir = resolvePath(io, flags.out ?? join('runs', sweep.config.name));
  const storePath = join(outDir, 'sweep.sqlite');
  const write = (line: string): void => io.stderr(`${line}\n`);
  const store = openCliStore(storePath, sweep.config.name, write);
  try {
    const executor = createExecutor(flags, pendingTrials(store, sweep.trials, flags.retryFailed));
    if (flags.retryFailed && 'forget' in executor) {
      // Finished queue jobs are kept in Redis under the trial key; forgetting them lets failed trials run again.
      await (executor as ReturnType<typeof createQueueExecutor>).forget(store.listTrials({ sweep: sweep.config.name, status: 'failed' }).map((t) => t.key));
    }
    const summary = await runSweep({
      sweep: { name: sweep.config.name, config: sweep.config, file: source },
      trials: sweep.trials,
      store,
      executor,
      reporter: reporterFor(io, flags),
      retryFailed: Boolean(flags.retryFailed),
      append: Boolean(flags.append),
      ...(io.signal && { signal: io.signal }),
    }).catch((error: unknown) => {
      if (error instanceof SweepStoreError && error.code === 'other-sweep') {
        throw new UsageError(
          `${storePath} holds the sweep ${error.details.sweeps!.map((name) => `"${name}"`).join(', ')}, not "${sweep.config.name}": give this sweep its own folder with --out (the default is runs/<sweep name>), or pass --append to keep both sweeps in one store`,
          { cause: error },
        );
      }
      throw error;
    });
    const trials = trialSummaries(store, sweep.config.name);
    let report: string | null = null;
    if (flags.report && !summary.interrupted) {
      try {
        report = (await writeReport(storePath, join(outDir, 'report'), { sweep: sweep.config.name })).html;
        if (!flags.quiet) write(`report: ${report}`);
      } catch (error) {
        write(`warning: the report could not be written (${fileSystemErrorText(error) ?? (error instanceof Error ? error.message : String(error))}); the results are in ${storePath}`);
      }
    }
    if (flags.json) {
      const document: SweepJson = { format: 'rank-collapse-sweep/1', name: summary.name, store: storePath, report, interrupted: summary.interrupted, counts: summary.counts, durationMs: summary.durationMs, trials };
      writeJson(io, document);
    } else {
      io.stdout(`${renderTrialTable(trials)}\n\nstore: ${storePath}${report ? `\nreport: ${report}` : ''}\n`);
    }
    if (summary.counts.failed > 0 && !summary.interrupted) {
      write(`${summary.counts.failed} trial(s) failed (errors in the table above); they are not run again unless you rerun with --retry-failed`);
    }
    if (summary.interrupted) context.setExitCode(EXIT_CODES.interrupted);
    else if (summary.counts.failed + summary.counts.diverged > 0) context.setExitCode(EXIT_CODES.trialsFailed);
  } finally {
    store.close();
  }
}

/** Opens the store with its write lock, saying when a lock left by a dead process was taken over. */
function openCliStore(storePath: string, sweepName: string, write: (line: string) => void): SweepStore {
  try {
    const store = openSweepStore(storePath, { lock: { command: `rank-collapse sweep (${sweepName})` } });
    const previous = store.lock?.tookOverFrom;
    if (previous) write(`note: took over the lock of ${storePath} left by ${describeLockOwner(previous)}, which is no longer running`);
    return store;
  } catch (error) {
    if (error instanceof SweepStoreError && error.code === 'locked' && error.details.owner) {
      const owner = error.details.owner;
      throw new CliError(
        `${storePath} is in use by another sweep: ${describeLockOwner(owner)}. Wait for it to finish, stop it (kill -INT ${owner.pid}; rerunning resumes it), or give this sweep another folder with --out. \`rank-collapse report ${storePath}\` works while it runs. If that process is gone (on another machine, say), delete ${storePath}.lock.`,
        EXIT_CODES.failure,
        'STORE_LOCKED',
        { cause: error },
      );
    }
    throw error;
  }
}

function createExecutor(flags: SweepFlags, pending: number): Executor {
  if (flags.queue) return createQueueExecutor({ url: flags.queue });
  const checkpointEvery = flags.checkpointEvery;
  // One process per core with one thread each beats one process with many threads on these small matmuls.
  const workers = Math.min(flags.workers, pending);
  if (workers <= 1) {
    return createInProcessExecutor({ trialFunction: createTrialFunction({ backendFor: createBackendCache({ threads: flags.threads }), checkpointEvery, stepsPerRun: flags.stepsPerRun }) });
  }
  const options: WorkerTrialOptions = { threads: flags.threads ?? Math.max(1, Math.floor(availableParallelism() / workers)), checkpointEvery, ...(flags.stepsPerRun !== undefined && { stepsPerRun: flags.stepsPerRun }) };
  return createWorkerProcessExecutor({ workers, trialModule: { modulePath: TRIAL_MODULE_URL, exportName: 'createWorkerTrialFunction', options } });
}

/** Trials a run will compute: not yet finished (or failed, with --retry-failed). No process is started for the others. */
function pendingTrials(store: SweepStore, trials: readonly TrialSpec[], retryFailed?: boolean): number {
  return trials.filter((trial) => {
    const status = store.getTrial(trial.key)?.status;
    return status === undefined || status === 'queued' || status === 'running' || (retryFailed && status === 'failed');
  }).length;
}

/** Bars on an interactive terminal, plain lines on stderr otherwise, nothing with --quiet. */
function reporterFor(io: CliIo, flags: SweepFlags): SweepReporter {
  if (flags.quiet) return createSilentReporter();
  if (io.isTTY && !process.env.CI) return createProgressReporter();
  return createLineReporter({ stream: { write: (text: string) => io.stderr(text) }, progressIntervalMs: 5000 });
}

/** The end-of-sweep table: one line per trial. */
export function renderTrialTable(trials: readonly TrialSummary[]): string {
  return renderTable<TrialSummary>(
    [
      { header: '#', value: (t) => t.index },
      { header: 'trial', value: (t) => Object.entries(t.axes).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`).join(' ') || t.key.slice(0, 12) },
      { header: 'status', value: (t) => t.status },
      { header: 'epochs', value: (t) => t.epochs },
      { header: 'train acc', value: (t) => t.trainAccuracy },
      { header: 'test acc', value: (t) => t.testAccuracy },
      { header: 'ranks (last analysis)', value: (t) => (t.ranks ? t.ranks.join(' ') : '') },
      { header: 'time', value: (t) => (t.durationMs === null ? null : `${(t.durationMs / 1000).toFixed(0)} s`) },
      { header: 'error', value: (t) => t.error ?? '' },
    ],
    trials,
  );
}
