/**
 * A queue worker: takes trial jobs from BullMQ on any machine, runs them with the injected trial function,
 * saves each checkpoint (and the rows so far) into the job so a replacement worker resumes there, and returns
 * the whole attempt as the job's result for the coordinator to store.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { runTrial, errorMessage, type TrialSink } from '../trial/run-trial.js';
import type { CompressionResult, StoredEpochRecord } from '@rank-collapse/rows';
import type { RecordedLayer, TrialFunction } from '../trial/trial-types.js';
import { DEFAULT_QUEUE_NAME, connectionOptions, type QueueConnection } from './queue-connection.js';
import { fromWireCheckpoint, toWireCheckpoint, type QueueJobData, type QueueJobResult, type WireCheckpoint, type WireRows } from './queue-wire.js';
import { redactSecrets, redactUrl } from './redact-url.js';
import { withTimeout } from './with-timeout.js';

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions extends QueueConnection {
  trialFunction: TrialFunction;
  /** Trials this worker runs at the same time. Default 1. */
  concurrency?: number;
  /**
   * How long a job stays locked without renewal, in ms (default 30 000). A worker that dies stops renewing;
   * after this time its trial is picked up again (once: a second loss fails it).
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs of lost workers, in ms. Default 30 000. */
  stalledIntervalMs?: number;
  /** Worker name in the store and logs. Default `host:pid`. */
  name?: string;
  /** Where lines go (already free of credentials). Default: none. */
  log?: (line: string) => void;
}

/** A running worker. */
export interface QueueWorkerHandle {
  readonly name: string;
  /** Stops taking jobs, waits for the running ones, and disconnects. */
  close(): Promise<void>;
}

/**
 * Starts a worker and resolves once it is connected.
 * @throws an Error naming the redacted URL when Redis cannot be reached within 10 s.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const clean = (text: string): string => redactSecrets(text, options.url);
  const log = (line: string): void => options.log?.(clean(line));

  const worker = new Worker<QueueJobData, QueueJobResult>(queueName, (job) => processJob(job, options.trialFunction, name), {
    connection: connectionOptions(options),
    prefix: options.prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A job whose worker vanished is moved back to the queue once; a second loss fails it.
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on('error', (error) => log(`worker error: ${errorMessage(error)}`));
  worker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${errorMessage(error)}`));
  worker.on('completed', (job, result) => log(`trial ${job.id} ${result.result.status} in ${Math.round(result.result.durationMs)} ms`));
  try {
    await withTimeout(worker.waitUntilReady(), 10_000);
  } catch (error) {
    await worker.close(true).catch(() => {});
    throw new Error(`cannot reach queue "${queueName}" on ${redactUrl(options.url)}: ${clean(errorMessage(error))}`);
  }
  void worker.run().catch((error) => log(`worker stopped: ${errorMessage(error)}`));
  log(`worker ${name} takes trials from queue "${queueName}" on ${redactUrl(options.url)}`);
  return { name, close: () => worker.close() };
}

async function processJob(job: Job<QueueJobData, QueueJobResult>, trialFunction: TrialFunction, worker: string): Promise<QueueJobResult> {
  const startedAt = new Date().toISOString();
  const attempt = (job.data.starts ?? 0) + 1;
  await job.updateData({ ...job.data, starts: attempt });
  const resumeFrom = job.data.resumeFrom;
  const keep = (epoch: number): boolean => resumeFrom !== undefined && epoch <= resumeFrom.epoch;
  // Rows of an earlier attempt up to its checkpoint are kept; the rest are recomputed.
  const epochs = new Map<number, StoredEpochRecord>((job.data.partial?.epochs ?? []).filter((row) => keep(row.epoch)).map((row) => [row.epoch, row]));
  const layers = new Map<number, Map<number, RecordedLayer>>();
  for (const { epoch, rows } of job.data.partial?.layers ?? []) if (keep(epoch)) layers.set(epoch, new Map(rows.map((row) => [row.index, row])));
  const spectra = new Map<string, { epoch: number; layerIndex: number; values: number[] }>();
  for (const entry of job.data.partial?.spectra ?? []) if (keep(entry.epoch)) spectra.set(`${entry.epoch}:${entry.layerIndex}`, entry);
  const compression = new Map<string, CompressionResult>();
  for (const entry of job.data.partial?.compression ?? []) if (keep(entry.epoch)) compression.set(`${entry.epoch}:${entry.label}`, entry);
  let checkpoint: WireCheckpoint | undefined = resumeFrom;

  const rowsUpTo = (limit: number): WireRows => ({
    epochs: [...epochs.values()].filter((row) => row.epoch <= limit).sort((a, b) => a.epoch - b.epoch),
    layers: [...layers.entries()].filter(([epoch]) => epoch <= limit).sort(([a], [b]) => a - b).map(([epoch, rows]) => ({ epoch, rows: [...rows.values()] })),
    spectra: [...spectra.values()].filter((entry) => entry.epoch <= limit),
    compression: [...compression.values()].filter((entry) => entry.epoch <= limit),
  });

  const sink: TrialSink = {
    recordEpoch: (row) => void epochs.set(row.epoch, jsonSafe(row)),
    recordLayers: (epoch, rows) => {
      const byIndex = layers.get(epoch) ?? new Map<number, RecordedLayer>();
      for (const row of rows) byIndex.set(row.index, jsonSafe({ ...row, ...(row.singularValues && { singularValues: Array.from(row.singularValues) }) }));
      layers.set(epoch, byIndex);
    },
    recordSpectrum: (epoch, layerIndex, values) => void spectra.set(`${epoch}:${layerIndex}`, { epoch, layerIndex, values: Array.from(values) }),
    recordCompression: (result) => void compression.set(`${result.epoch}:${result.label}`, jsonSafe(result)),
    saveCheckpoint: async (saved) => {
      checkpoint = toWireCheckpoint(saved);
      // Durable in Redis before the trial goes on: a replacement worker resumes from here.
      await job.updateData({ ...job.data, resumeFrom: checkpoint, partial: rowsUpTo(saved.epoch) });
    },
    progress: (progress) => void job.updateProgress({ progress, worker }).catch(() => {}),
    log: () => {},
  };

  const result = await runTrial(trialFunction, { trial: job.data.trial, attempt, resumeFrom: resumeFrom && fromWireCheckpoint(resumeFrom), sink });
  return { result, attempts: attempt, worker, startedAt, finishedAt: new Date().toISOString(), ...rowsUpTo(Number.POSITIVE_INFINITY), ...(checkpoint && { checkpoint }) };
}

/** NaN/±∞ become null here, as they would in JSON anyway, so buffered and stored rows agree. */
function jsonSafe<T extends object>(row: T): T {
  return JSON.parse(JSON.stringify(row, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value)));
}
