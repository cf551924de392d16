/**
 * Integration tests of the distributed executor against a real redis-server on 127.0.0.1 (skipped, with the
 * reason printed, only when the binary is absent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { runSweep } from '../run-sweep.js';
import { openSweepStore, type SweepStore } from '../store/sweep-store.js';
import { createSyntheticTrial, syntheticInit, syntheticStep } from '../__fixtures__/synthetic-trial.js';
import { smallSweep } from '../__fixtures__/small-sweep.js';
import type { SweepReporter } from '../progress/sweep-reporter.js';
import type { TrialSpec } from '../config/expand-grid.js';
import { createQueueExecutor } from './queue-executor.js';
import { runQueueWorker, type QueueWorkerHandle } from './run-queue-worker.js';
import { connectionOptions } from './queue-connection.js';
import { opensslMissing, redisServerMissing, startRedisServer, type RedisServer } from './__fixtures__/redis-server.js';

const missing = redisServerMissing();
if (missing) console.log(`skipping queue integration tests: ${missing}`);
const tlsMissing = missing ?? opensslMissing();
if (tlsMissing && !missing) console.log(`skipping the TLS queue test: ${tlsMissing}`);
const PASSWORD = 'pa:ss@w0rd/secret';
const WORKER_SCRIPT = fileURLToPath(new URL('./__fixtures__/queue-worker-script.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

function expectedLosses(trial: TrialSpec): number[] {
  const w = syntheticInit(trial.config.seed);
  return Array.from({ length: trial.config.training.epochs }, (_, i) => {
    syntheticStep(w, trial.config.seed, i + 1, trial.config.training.lr, trial.config.training.weightDecay);
    return w.reduce((sum, v) => sum + v * v, 0);
  });
}

function logReporter(lines: string[]): SweepReporter {
  return {
    sweepStarted: (info) => lines.push(`start ${info.executor}`),
    trialStarted: () => {},
    trialProgress: () => {},
    trialFinished: (trial, result) => lines.push(`finished ${trial.index} ${result.status} ${result.error ?? ''}`),
    log: (line) => lines.push(line),
    sweepFinished: () => {},
  };
}

describe.skipIf(missing !== undefined)('queue executor on redis-server', () => {
  let redis: RedisServer;
  let dir: string;
  const stores: SweepStore[] = [];
  const workers: QueueWorkerHandle[] = [];
  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
    dir = mkdtempSync(join(tmpdir(), 'queue-test-'));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    stores.forEach((store) => store.close());
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = (name: string): SweepStore => {
    const opened = openSweepStore(join(dir, `${name}.sqlite`));
    stores.push(opened);
    return opened;
  };

  it('runs a sweep on a worker, stores exact rows, never queues a trial twice, and keeps the password out of logs', async () => {
    const lines: string[] = [];
    const worker = await runQueueWorker({ url: redis.url, queueName: 'basic', trialFunction: createSyntheticTrial(), log: (line) => lines.push(line) });
    workers.push(worker);
    const sweep = smallSweep();
    const target = store('basic');
    const executor = createQueueExecutor({ url: redis.url, queueName: 'basic', pollIntervalMs: 50 });
    const summary = await runSweep({ sweep, trials: sweep.trials, store: target, executor, reporter: logReporter(lines) });
    expect(summary.counts).toEqual({ queued: 0, running: 0, done: 6, failed: 0, diverged: 0 });
    for (const trial of sweep.trials) {
      expect(target.epochs(trial.key).map((row) => row.trainLoss)).toEqual(expectedLosses(trial));
      expect(target.layers(trial.key)).toHaveLength(4);
      expect([...target.spectrum(trial.key, 6, 0)!]).toEqual([...target.spectrum(trial.key, 6, 0)!].sort((a, b) => b - a));
      expect(target.getTrial(trial.key)).toMatchObject({ status: 'done', attempts: 1, worker: worker.name });
      expect(target.latestCheckpoint(trial.key)?.epoch).toBe(6);
    }

    // A second coordinator with a fresh store collects the same jobs instead of queueing new ones.
    const other = store('basic-other');
    const again = await runSweep({ sweep, trials: sweep.trials, store: other, executor });
    expect(again.counts.done).toBe(6);
    const queue = new Queue('basic', { connection: connectionOptions({ url: redis.url }) });
    const counts = await queue.getJobCounts();
    await queue.close();
    expect(counts.completed).toBe(6);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(6);

    expect(lines.some((line) => line.includes('redis://:***@127.0.0.1'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain('w0rd');
      expect(line).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('collects results that workers finished while the coordinator was away', async () => {
    const sweep = smallSweep({ seeds: [5] });
    const target = store('away');
    const controller = new AbortController();
    const lines: string[] = [];
    const reporter = { ...logReporter(lines), log: (line: string) => (lines.push(line), line.startsWith('queued') && controller.abort()) };
    const executor = createQueueExecutor({ url: redis.url, queueName: 'away', pollIntervalMs: 50 });
    const first = await runSweep({ sweep, trials: sweep.trials, store: target, executor, reporter, signal: controller.signal });
    expect(first.interrupted).toBe(true);
    expect(first.counts.queued).toBe(3);
    const worker = await runQueueWorker({ url: redis.url, queueName: 'away', trialFunction: createSyntheticTrial() });
    workers.push(worker);
    const queue = new Queue('away', { connection: connectionOptions({ url: redis.url }) });
    while ((await queue.getJobCounts()).completed < 3) await sleep(50);
    await queue.close();
    const second = await runSweep({ sweep, trials: sweep.trials, store: target, executor });
    expect(second.counts.done).toBe(3);
    for (const trial of sweep.trials) expect(target.epochs(trial.key).map((row) => row.trainLoss)).toEqual(expectedLosses(trial));
  });

  it('runs the trial of a killed worker again, once, from the checkpoint saved in the job', async () => {
    const journal = join(dir, 'lost.journal');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER_SCRIPT, redis.url, 'lost', journal, '150'], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve()));

    const sweep = smallSweep({ seeds: [9], epochs: 8 });
    const trials = sweep.trials.slice(0, 1);
    const target = store('lost');
    const executor = createQueueExecutor({ url: redis.url, queueName: 'lost', pollIntervalMs: 50 });
    const done = runSweep({ sweep, trials, store: target, executor });

    const queue = new Queue('lost', { connection: connectionOptions({ url: redis.url }) });
    let checkpointEpoch = 0;
    while (checkpointEpoch < 3) {
      await sleep(20);
      checkpointEpoch = (await queue.getJob(trials[0].key))?.data.resumeFrom?.epoch ?? 0;
    }
    child.kill('SIGKILL');
    await exited;
    const savedEpoch = (await queue.getJob(trials[0].key))?.data.resumeFrom?.epoch;
    await queue.close();

    workers.push(await runQueueWorker({ url: redis.url, queueName: 'lost', trialFunction: createSyntheticTrial({ options: { journal } }), lockDurationMs: 1000, stalledIntervalMs: 300 }));
    const summary = await done;
    expect(summary.counts.done).toBe(1);
    const starts = readFileSync(journal, 'utf8').trim().split('\n').map((line) => line.split(' '));
    expect(starts).toHaveLength(2);
    expect(starts[0].slice(1, 3)).toEqual(['1', '-1']);
    expect(starts[1].slice(1, 3)).toEqual(['2', String(savedEpoch)]);
    expect(target.getTrial(trials[0].key)).toMatchObject({ status: 'done', attempts: 2 });
    expect(target.epochs(trials[0].key).map((row) => row.trainLoss)).toEqual(expectedLosses(trials[0]));
    expect(target.layers(trials[0].key).map((row) => `${row.epoch}:${row.index}`)).toEqual(['3:0', '3:1', '6:0', '6:1', '8:0', '8:1']);
  });

  it('fails a trial whose worker is lost a second time, with the queue\'s reason', async () => {
    const journal = join(dir, 'twice.journal');
    const sweep = smallSweep({ seeds: [11], extraModel: ', killProcessAtEpoch: 2, killEveryAttempt: true' });
    const trials = sweep.trials.slice(0, 1);
    const target = store('twice');
    const done = runSweep({ sweep, trials, store: target, executor: createQueueExecutor({ url: redis.url, queueName: 'twice', pollIntervalMs: 50 }) });
    // Three worker processes: one takes the trial and dies in it, another takes it over and dies too, and the
    // last one finds the job stalled past its limit.
    const children = [1, 2, 3].map(() => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER_SCRIPT, redis.url, 'twice', journal, '20'], {
        cwd: PACKAGE_DIR,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return Object.assign(child, { exited: new Promise((resolve) => child.on('exit', resolve)) });
    });
    await done;
    const alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
    expect(alive).toHaveLength(1);
    alive.forEach((child) => child.kill('SIGKILL'));
    await Promise.all(children.map((child) => child.exited));
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(2);
    const trial = target.getTrial(trials[0].key);
    expect(trial).toMatchObject({ status: 'failed', attempts: 2 });
    expect(trial?.error).toMatch(/stalled/);
    // The rows up to the last checkpoint of the lost attempts are kept.
    expect(target.epochs(trials[0].key).map((row) => row.trainLoss)).toEqual(expectedLosses(trials[0]).slice(0, 1));
  });

  it('records trial exceptions and divergence from remote workers', async () => {
    workers.push(await runQueueWorker({ url: redis.url, queueName: 'errors', trialFunction: createSyntheticTrial() }));
    const failing = smallSweep({ seeds: [1], extraModel: ', throwAtEpoch: 2' }).trials[0];
    const diverging = { ...smallSweep({ seeds: [1], extraModel: ', divergeAtEpoch: 3' }).trials[0], index: 1 };
    const target = store('errors');
    const summary = await runSweep({
      sweep: smallSweep(),
      trials: [failing, diverging],
      store: target,
      executor: createQueueExecutor({ url: redis.url, queueName: 'errors', pollIntervalMs: 50 }),
    });
    expect(summary.counts).toMatchObject({ failed: 1, diverged: 1 });
    expect(target.getTrial(failing.key)).toMatchObject({ status: 'failed', error: 'synthetic failure at epoch 2' });
    expect(target.getTrial(diverging.key)).toMatchObject({ status: 'diverged', error: 'loss is NaN at epoch 3' });
    expect(target.epochs(diverging.key).map((row) => row.trainLoss)).toEqual([...expectedLosses(diverging).slice(0, 2), null]);

    // retryFailed removes the finished job so the failed trial is queued and run again.
    const retry = await runSweep({
      sweep: smallSweep(),
      trials: [failing, diverging],
      store: target,
      retryFailed: true,
      executor: createQueueExecutor({ url: redis.url, queueName: 'errors', pollIntervalMs: 50 }),
    });
    expect(retry.ran).toBe(1);
    expect(target.getTrial(failing.key)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(target.getTrial(diverging.key)).toMatchObject({ status: 'diverged', attempts: 1 });
  });

  it('fails to connect with a wrong password without revealing it', async () => {
    const wrong = redis.url.replace(encodeURIComponent(PASSWORD), 'not-the-password-42');
    const sweep = smallSweep({ seeds: [1] });
    const error = await runSweep({
      sweep,
      trials: sweep.trials,
      store: store('wrong'),
      executor: createQueueExecutor({ url: wrong, queueName: 'wrong', connectTimeoutMs: 2000 }),
    }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^cannot reach the queue "wrong" on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect((error as Error).message).not.toContain('not-the-password-42');
  });
});

describe.skipIf(tlsMissing !== undefined)('queue executor over TLS', () => {
  it('runs a trial through rediss:// with a password and a private CA', async () => {
    const redis = await startRedisServer({ password: PASSWORD, tls: true });
    const dir = mkdtempSync(join(tmpdir(), 'queue-tls-'));
    const target = openSweepStore(join(dir, 'tls.sqlite'));
    const worker = await runQueueWorker({ url: redis.url, tls: { ca: redis.ca }, queueName: 'tls', trialFunction: createSyntheticTrial() });
    try {
      expect(redis.url.startsWith('rediss://')).toBe(true);
      const sweep = smallSweep({ seeds: [4] });
      const trials = sweep.trials.slice(0, 2);
      const summary = await runSweep({ sweep, trials, store: target, executor: createQueueExecutor({ url: redis.url, tls: { ca: redis.ca }, queueName: 'tls', pollIntervalMs: 50 }) });
      expect(summary.counts.done).toBe(2);
      expect(target.epochs(trials[1].key).map((row) => row.trainLoss)).toEqual(expectedLosses(trials[1]));
    } finally {
      await worker.close();
      target.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
