/**
 * The distributed executor's coordinating side: puts trials on a BullMQ queue (job id = trial key, so a trial
 * is never queued twice), then collects finished jobs into the local store, which stays the store of record.
 * Workers send results back as the job's return value (kept in Redis until collected), so a coordinator that
 * was down while workers finished still gets every result on its next run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { TrialSpec } from '../config/expand-grid.js';
import type { Executor, TrialCoordinator } from '../executors/executor.js';
import { errorMessage } from '../trial/run-trial.js';
import type { TrialProgress } from '../trial/trial-types.js';
import { DEFAULT_QUEUE_NAME, connectionOptions, type QueueConnection } from './queue-connection.js';
import { toResultBundle, toWireCheckpoint, type QueueJobData, type QueueJobResult } from './queue-wire.js';
import { redactSecrets, redactUrl } from './redact-url.js';
import { withTimeout } from './with-timeout.js';

/** Options of {@link createQueueExecutor}. */
export interface QueueExecutorOptions extends QueueConnection {
  /** How often finished jobs are collected, in ms. Default 1000. */
  pollIntervalMs?: number;
  /** Give up connecting after this many ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** BullMQ attempts per job (a processor error or a lost worker counts). Default 2: a lost trial runs again once. */
  attempts?: number;
}

/** A queue executor forgets finished jobs on request, so that `retryFailed` reruns them. */
export interface QueueExecutor extends Executor {
  /** Removes the jobs of these trials from the queue (they are queued afresh by the next `run`). */
  forget(keys: readonly string[]): Promise<void>;
}

/**
 * Creates the executor. `run` enqueues the trials it is given and resolves once each has a result in the store
 * (or the signal stops it; queued jobs stay in Redis for workers, and a later run collects them).
 * @throws (from `run`) an Error naming the redacted URL when Redis cannot be reached.
 */
export function createQueueExecutor(options: QueueExecutorOptions): QueueExecutor {
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const where = `queue "${name}" on ${redactUrl(options.url)}`;
  const clean = (text: string): string => redactSecrets(text, options.url);
  const open = async (): Promise<Queue<QueueJobData, QueueJobResult>> => {
    const queue = new Queue<QueueJobData, QueueJobResult>(name, { connection: connectionOptions(options), prefix: options.prefix });
    let lastError = '';
    queue.on('error', (error) => (lastError = clean(errorMessage(error))));
    await withTimeout(queue.waitUntilReady(), options.connectTimeoutMs ?? 10_000).catch(async (error) => {
      await queue.close().catch(() => {});
      throw new Error(`cannot reach the ${where}: ${clean(errorMessage(error))}${lastError ? ` (${lastError})` : ''}`);
    });
    return queue;
  };

  return {
    description: where,
    async forget(keys) {
      const queue = await open();
      try {
        for (const key of keys) await (await queue.getJob(key))?.remove();
      } finally {
        await queue.close();
      }
    },
    async run(trials: readonly TrialSpec[], coordinator: TrialCoordinator, signal: AbortSignal) {
      const queue = await open();
      const events = new QueueEvents(name, { connection: connectionOptions(options), prefix: options.prefix });
      events.on('error', (error) => coordinator.log(`queue events: ${clean(errorMessage(error))}`));
      const byKey = new Map(trials.map((trial) => [trial.key, trial]));
      events.on('progress', ({ jobId, data }) => {
        const trial = byKey.get(jobId);
        const payload = data as { progress?: TrialProgress; worker?: string } | undefined;
        if (trial && payload?.progress) coordinator.remoteProgress(trial, payload.progress, payload.worker ?? 'remote');
      });
      const enqueue = async (trial: TrialSpec): Promise<void> => {
        const resume = coordinator.latestCheckpoint(trial.key);
        await queue.add(
          trial.key,
          { trial, ...(resume && { resumeFrom: toWireCheckpoint(resume) }) },
          { jobId: trial.key, attempts: options.attempts ?? 2, removeOnComplete: false, removeOnFail: false },
        );
      };
      try {
        // add() with an existing job id is a no-op, so jobs queued by an earlier run are reused, not duplicated.
        for (const trial of trials) await enqueue(trial);
        coordinator.log(`queued ${trials.length} trial(s) on the ${where}`);
        const pending = new Set(byKey.keys());
        while (pending.size > 0 && !signal.aborted) {
          for (const key of [...pending]) {
            const trial = byKey.get(key)!;
            // State first, job second: a job fetched before it finished would lack its result or reason.
            const state = await queue.getJobState(key);
            if (state === 'unknown') {
              await enqueue(trial);
              continue;
            }
            if (state !== 'completed' && state !== 'failed') continue;
            const job = (await queue.getJob(key)) as Job<QueueJobData, QueueJobResult> | undefined;
            if (!job) continue;
            if (state === 'completed' && job.returnvalue) {
              coordinator.ingest(trial, toResultBundle(job.returnvalue));
              pending.delete(key);
            } else if (state === 'failed') {
              coordinator.ingest(trial, failureBundle(job, clean));
              pending.delete(key);
            }
          }
          if (pending.size > 0) await sleep(options.pollIntervalMs ?? 1000, undefined, { signal }).catch(() => {});
        }
      } finally {
        await events.close().catch(() => {});
        await queue.close().catch(() => {});
      }
    },
  };
}

/** A job that BullMQ gave up on (processor errors or lost workers beyond its attempts) as a failed attempt. */
function failureBundle(job: Job<QueueJobData, QueueJobResult>, clean: (text: string) => string) {
  const started = job.processedOn ?? job.timestamp;
  const finished = job.finishedOn ?? Date.now();
  const partial = job.data.partial;
  return {
    result: { status: 'failed' as const, error: clean(job.failedReason || 'the queue gave up on the job'), durationMs: finished - started, epochMs: [] },
    attempts: job.data.starts ?? 0,
    worker: 'queue',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    epochs: partial?.epochs ?? [],
    layers: partial?.layers ?? [],
    spectra: partial?.spectra ?? [],
    compression: partial?.compression ?? [],
  };
}
