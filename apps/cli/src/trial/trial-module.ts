/**
 * The module local worker processes load (see the sweep package's worker-process executor): each process
 * builds its own backend and trial function from the JSON options the parent sends.
 */
import type { TrialFunction } from '@rank-collapse/sweep';
import { createBackendCache } from '../backends/select-backend.js';
import { createTrialFunction } from './create-trial-function.js';

/** JSON options of {@link createWorkerTrialFunction}. */
export interface WorkerTrialOptions {
  /** Threads per backend (onnx intra-op threads). */
  threads?: number;
  checkpointEvery?: number;
  stepsPerRun?: number;
}

/** Absolute URL of this module, for the worker-process executor's module reference. */
export const TRIAL_MODULE_URL = import.meta.url;

/** Factory called once in each worker process. */
export function createWorkerTrialFunction(info: { workerIndex: number; options: unknown }): TrialFunction {
  const options = (info.options ?? {}) as WorkerTrialOptions;
  return createTrialFunction({ backendFor: createBackendCache({ threads: options.threads }), checkpointEvery: options.checkpointEvery, stepsPerRun: options.stepsPerRun });
}
