import { afterEach, describe, expect, it } from 'vitest';
import { databaseOf } from './__fixtures__/database-of.js';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from './run-sweep.js';
import { openSweepStore, type SweepStore } from './store/sweep-store.js';
import { createInProcessExecutor } from './executors/in-process-executor.js';
import { createWorkerProcessExecutor } from './executors/worker-process-executor.js';
import { createSyntheticTrial, syntheticInit, syntheticStep } from './__fixtures__/synthetic-trial.js';
import { smallSweep } from './__fixtures__/small-sweep.js';
import type { SweepReporter } from './progress/sweep-reporter.js';
import type { TrialSpec } from './config/expand-grid.js';

const dirs: string[] = [];
const stores: SweepStore[] = [];
function tempStore(): { dir: string; store: SweepStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'run-sweep-'));
  dirs.push(dir);
  const path = join(dir, 'sweep.sqlite');
  const store = openSweepStore(path);
  stores.push(store);
  return { dir, store, path };
}
afterEach(() => {
  stores.splice(0).forEach((store) => store.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** Losses computed independently of the trial function and the store. */
function expectedLosses(trial: TrialSpec): number[] {
  const w = syntheticInit(trial.config.seed);
  const losses: number[] = [];
  for (let epoch = 1; epoch <= trial.config.training.epochs; epoch++) {
    syntheticStep(w, trial.config.seed, epoch, trial.config.training.lr, trial.config.training.weightDecay);
    losses.push(w.reduce((sum, v) => sum + v * v, 0));
  }
  return losses;
}

function recordingReporter(): SweepReporter & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    sweepStarted: (info) => events.push(`sweep ${info.total} ${info.finished}`),
    trialStarted: (trial, info) => events.push(`start ${trial.index} attempt ${info.attempt}`),
    trialProgress: () => {},
    trialFinished: (trial, result) => events.push(`finish ${trial.index} ${result.status}`),
    log: (message) => events.push(`log ${message}`),
    sweepFinished: (summary) => events.push(`done ran=${summary.ran} skipped=${summary.skipped}`),
  };
}

describe('runSweep in process', () => {
  it('runs every trial, stores exact rows, and skips finished trials on a rerun', async () => {
    const { store } = tempStore();
    const sweep = smallSweep();
    const executor = createInProcessExecutor({ trialFunction: createSyntheticTrial() });
    const reporter = recordingReporter();
    const summary = await runSweep({ sweep, trials: sweep.trials, store, executor, reporter });
    expect(summary).toMatchObject({ total: 6, ran: 6, skipped: 0, interrupted: false, counts: { done: 6, queued: 0 } });
    for (const trial of sweep.trials) {
      const losses = store.epochs(trial.key).map((row) => row.trainLoss);
      const expected = expectedLosses(trial);
      expect(losses).toHaveLength(expected.length);
      losses.forEach((loss, i) => expect(Math.abs((loss as number) - expected[i])).toBeLessThanOrEqual(1e-15 * expected[i]));
      expect(store.layers(trial.key).map((row) => `${row.epoch}:${row.layer}`)).toEqual(['3:dense0', '3:dense1', '6:dense0', '6:dense1']);
      expect(store.spectrum(trial.key, 6, 1)).toHaveLength(2);
      expect(store.getTrial(trial.key)).toMatchObject({ status: 'done', attempts: 1 });
    }
    expect(reporter.events[0]).toBe('sweep 6 0');
    expect(reporter.events.at(-1)).toBe('done ran=6 skipped=0');

    const again = await runSweep({ sweep, trials: sweep.trials, store, executor });
    expect(again).toMatchObject({ ran: 0, skipped: 6 });
    expect(databaseOf(store).prepare('SELECT COUNT(*) AS n FROM epochs').get()).toEqual({ n: 36 });
  });

  it('records a thrown error as failed and a NaN loss as diverged, and the sweep goes on', async () => {
    const { store } = tempStore();
    const failing = smallSweep({ extraModel: ', throwAtEpoch: 2', seeds: [1] });
    const diverging = smallSweep({ extraModel: ', divergeAtEpoch: 4', seeds: [1] });
    const healthy = smallSweep({ seeds: [7] });
    const trials = [failing.trials[0], diverging.trials[0], healthy.trials[0]].map((trial, index) => ({ ...trial, index }));
    const summary = await runSweep({ sweep: healthy, trials, store, executor: createInProcessExecutor({ trialFunction: createSyntheticTrial() }) });
    expect(summary.counts).toEqual({ queued: 0, running: 0, done: 1, failed: 1, diverged: 1 });
    expect(store.getTrial(trials[0].key)).toMatchObject({ status: 'failed', error: 'synthetic failure at epoch 2' });
    expect(store.epochs(trials[0].key)).toHaveLength(1);
    expect(store.getTrial(trials[1].key)).toMatchObject({ status: 'diverged', error: 'loss is NaN at epoch 4' });
    expect(store.epochs(trials[1].key).at(-1)).toMatchObject({ epoch: 4, trainLoss: null });

    // Failed trials are finished: not run again unless asked.
    expect((await runSweep({ sweep: healthy, trials, store, executor: createInProcessExecutor({ trialFunction: createSyntheticTrial() }) })).ran).toBe(0);
    const retry = await runSweep({ sweep: healthy, trials, store, retryFailed: true, executor: createInProcessExecutor({ trialFunction: createSyntheticTrial() }) });
    expect(retry.ran).toBe(1);
    expect(store.getTrial(trials[0].key)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('stops on abort, leaves the interrupted trial queued, and resumes it from its checkpoint', async () => {
    const { store } = tempStore();
    const sweep = smallSweep({ seeds: [3], epochs: 6 });
    const trials = sweep.trials.slice(0, 1);
    const controller = new AbortController();
    const inner = createSyntheticTrial();
    const resumes: Array<number | undefined> = [];
    const executor = createInProcessExecutor({
      trialFunction: async (context) => {
        resumes.push(context.resumeFrom?.epoch);
        const originalRecord = context.recordEpoch.bind(context);
        return inner({
          ...context,
          recordEpoch: async (row) => {
            await originalRecord(row);
            if (row.epoch === 4 && context.attempt === 1) controller.abort();
          },
        });
      },
    });
    const first = await runSweep({ sweep, trials, store, executor, signal: controller.signal });
    expect(first.interrupted).toBe(true);
    expect(store.getTrial(trials[0].key)?.status).toBe('queued');
    const second = await runSweep({ sweep, trials, store, executor });
    expect(second.counts.done).toBe(1);
    // The abort lands while epoch 4 is recorded; the trial finishes that epoch's checkpoint, then stops.
    expect(resumes).toEqual([undefined, 4]);
    expect(store.getTrial(trials[0].key)?.attempts).toBe(2);
    expect(store.epochs(trials[0].key).map((row) => row.trainLoss)).toEqual(expectedLosses(trials[0]));
  });
});

describe('runSweep with worker processes', () => {
  const trialModule = {
    modulePath: fileURLToPath(new URL('./__fixtures__/synthetic-trial.ts', import.meta.url)),
    exportName: 'createSyntheticTrial',
  };

  it('runs trials in 2 processes with rows identical to the in-process run', async () => {
    const { store, dir } = tempStore();
    const sweep = smallSweep();
    const journal = join(dir, 'journal.txt');
    const executor = createWorkerProcessExecutor({ trialModule: { ...trialModule, options: { journal } }, workers: 2 });
    expect(executor.description).toBe('2 worker processes');
    const summary = await runSweep({ sweep, trials: sweep.trials, store, executor });
    expect(summary.counts.done).toBe(6);
    for (const trial of sweep.trials) expect(store.epochs(trial.key).map((row) => row.trainLoss)).toEqual(expectedLosses(trial));
    const pids = new Set(readFileSync(journal, 'utf8').trim().split('\n').map((line) => line.split(' ')[3]));
    expect(pids.size).toBe(2);
    expect(pids.has(String(process.pid))).toBe(false);
    expect(store.spectrum(sweep.trials[0].key, 3, 0)).toBeInstanceOf(Float64Array);
  });

  it('replaces a worker killed during a trial and runs the trial again once, from its checkpoint', async () => {
    const { store } = tempStore();
    const once = smallSweep({ seeds: [1], extraModel: ', killProcessAtEpoch: 5' }).trials[0];
    const always = { ...smallSweep({ seeds: [2], extraModel: ', killProcessAtEpoch: 2, killEveryAttempt: true' }).trials[0], index: 1 };
    const reporter = recordingReporter();
    const executor = createWorkerProcessExecutor({ trialModule, workers: 1 });
    const summary = await runSweep({ sweep: smallSweep(), trials: [once, always], store, executor, reporter });
    expect(summary.counts).toMatchObject({ done: 1, failed: 1 });
    expect(store.getTrial(once.key)).toMatchObject({ status: 'done', attempts: 2 });
    expect(store.epochs(once.key).map((row) => row.trainLoss)).toEqual(expectedLosses(once));
    expect(store.getTrial(always.key)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(store.getTrial(always.key)?.error).toMatch(/^worker process .* died during the trial \(signal SIGKILL\), for the second time$/);
    expect(reporter.events.filter((event) => event.startsWith('log'))).toEqual([
      expect.stringMatching(/died during the trial \(signal SIGKILL\); running it again from its last checkpoint$/),
      expect.stringMatching(/died during the trial \(signal SIGKILL\); running it again from its last checkpoint$/),
    ]);
  });

  it('reports a worker that cannot build its trial function', async () => {
    const { store } = tempStore();
    const sweep = smallSweep();
    const executor = createWorkerProcessExecutor({ trialModule: { ...trialModule, exportName: 'missing' }, workers: 1 });
    await expect(runSweep({ sweep, trials: sweep.trials, store, executor })).rejects.toThrow(/has no function export "missing" \(exports: .*createSyntheticTrial/);
  });
});
