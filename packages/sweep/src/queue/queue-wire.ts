/**
 * What travels through Redis: job data and job results as plain JSON (BullMQ stores JSON), with checkpoint
 * bytes in base64 and spectra as number arrays (JSON numbers round-trip float64 exactly).
 */
import type { TrialSpec } from '../config/expand-grid.js';
import type { TrialResultBundle } from '../store/sweep-store.js';
import type { CompressionResult, StoredEpochRecord } from '@rank-collapse/rows';
import type { RecordedLayer, TrialCheckpoint, TrialRunResult } from '../trial/trial-types.js';

export interface WireCheckpoint {
  epoch: number;
  /** Bytes in base64. */
  data?: string;
  path?: string;
}

/** Rows of an attempt, up to some epoch. */
export interface WireRows {
  epochs: StoredEpochRecord[];
  layers: Array<{ epoch: number; rows: RecordedLayer[] }>;
  spectra: Array<{ epoch: number; layerIndex: number; values: number[] }>;
  /** Absent in jobs of versions before compression results had a table of their own. */
  compression?: CompressionResult[];
}

/** Job data; `resumeFrom`/`partial` are updated by the worker at every checkpoint so a retry resumes there. */
export interface QueueJobData {
  trial: TrialSpec;
  resumeFrom?: WireCheckpoint;
  /** Rows with epoch ≤ resumeFrom.epoch, produced by an earlier (lost) attempt. */
  partial?: WireRows;
  /** Attempts started on workers (BullMQ's own counters also count stall handling). */
  starts?: number;
}

/** Job return value: the whole attempt, applied by the coordinator in one transaction. */
export interface QueueJobResult extends WireRows {
  result: TrialRunResult;
  attempts: number;
  worker: string;
  startedAt: string;
  finishedAt: string;
  checkpoint?: WireCheckpoint;
}

export function toWireCheckpoint(checkpoint: TrialCheckpoint): WireCheckpoint {
  return {
    epoch: checkpoint.epoch,
    ...(checkpoint.data && { data: Buffer.from(checkpoint.data.buffer, checkpoint.data.byteOffset, checkpoint.data.byteLength).toString('base64') }),
    ...(checkpoint.path !== undefined && { path: checkpoint.path }),
  };
}

export function fromWireCheckpoint(checkpoint: WireCheckpoint): TrialCheckpoint {
  return {
    epoch: checkpoint.epoch,
    ...(checkpoint.data !== undefined && { data: new Uint8Array(Buffer.from(checkpoint.data, 'base64')) }),
    ...(checkpoint.path !== undefined && { path: checkpoint.path }),
  };
}

export function toResultBundle(result: QueueJobResult): TrialResultBundle {
  return {
    result: result.result,
    attempts: result.attempts,
    worker: result.worker,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    epochs: result.epochs,
    layers: result.layers,
    spectra: result.spectra,
    compression: result.compression ?? [],
    ...(result.checkpoint && { checkpoint: fromWireCheckpoint(result.checkpoint) }),
  };
}
