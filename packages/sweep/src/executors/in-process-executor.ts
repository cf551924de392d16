import { hostname } from 'node:os';
import type { TrialSpec } from '../config/expand-grid.js';
import { runTrial } from '../trial/run-trial.js';
import type { TrialFunction } from '../trial/trial-types.js';
import type { Executor, TrialCoordinator } from './executor.js';
import { runPool } from './run-pool.js';

/** Options of {@link createInProcessExecutor}. */
export interface InProcessExecutorOptions {
  trialFunction: TrialFunction;
  /** Trials run at the same time (they share this process's event loop and backend). Default 1. */
  concurrency?: number;
}

/**
 * Runs trials in this process by calling the injected trial function. The simplest executor: no
 * serialization, one backend, errors with full stacks.
 * @throws RangeError when `concurrency` is not a positive integer.
 */
export function createInProcessExecutor(options: InProcessExecutorOptions): Executor {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`createInProcessExecutor: concurrency must be a positive integer, got ${concurrency}`);
  const worker = `${hostname()}:${process.pid}`;
  return {
    description: concurrency === 1 ? 'in-process' : `in-process, ${concurrency} at a time`,
    async run(trials: readonly TrialSpec[], coordinator: TrialCoordinator, signal: AbortSignal) {
      await runPool(trials, concurrency, signal, async (trial) => {
        const { attempt, resumeFrom } = coordinator.start(trial, worker);
        const result = await runTrial(options.trialFunction, { trial, attempt, resumeFrom, sink: coordinator.sink(trial), signal });
        coordinator.finish(trial, result);
      });
    },
  };
}
