/**
 * The trial function of `rank-collapse sweep` and `worker`: the experiment package's pipeline, with the
 * backend each trial names created by this command (the composition root).
 */
import type { Backend } from '@rank-collapse/backend';
import { createExperimentTrialFunction } from '@rank-collapse/experiment';
import type { TrialFunction } from '@rank-collapse/sweep';
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../backends/backend-factories.js';

/** Options of {@link createTrialFunction}. */
export interface TrialFunctionOptions {
  /** Returns the backend for a trial's `backend` field (normally a per-process cache around `selectBackend`). */
  backendFor: (choice: BackendChoice) => Promise<Backend>;
  /** Save a training checkpoint to the store every this many epochs (and at every analyzed epoch). Default 5. */
  checkpointEvery?: number;
  /** SGD steps per backend run (see `train`); default the training package's. */
  stepsPerRun?: number;
}

/**
 * Creates the trial function: train, analyze and compress each trial as `@rank-collapse/experiment` does.
 * @throws from the returned function: data, model, training and backend errors (the trial is then `failed`),
 *   also for a trial config that names a backend this command cannot create (written by hand or elsewhere).
 */
export function createTrialFunction(options: TrialFunctionOptions): TrialFunction {
  return createExperimentTrialFunction({
    backendFor: (name) => {
      if (!isBackendChoice(name)) throw new Error(`unknown backend "${name}" (expected one of ${BACKEND_CHOICES.join(', ')})`);
      return options.backendFor(name);
    },
    ...(options.checkpointEvery !== undefined && { checkpointEvery: options.checkpointEvery }),
    ...(options.stepsPerRun !== undefined && { stepsPerRun: options.stepsPerRun }),
  });
}
