/**
 * The whole experiment in one call: a grid over weight decays (and seeds) of one dataset, model and training
 * setup, every trial trained, analyzed and compressed on an injected backend in this process, every row kept in
 * a sweep store and handed back.
 */
import type { Backend } from '@rank-collapse/backend';
import type { ModelConfigInput } from '@rank-collapse/models';
import type { CompressionResult, StoredEpochRecord, StoredLayerRecord, TrialStatus } from '@rank-collapse/rows';
import { createInProcessExecutor, expandGrid, openSweepStore, runSweep, sweepConfigSchemaFor, type SweepReporter, type SweepSummary } from '@rank-collapse/sweep';
import type { z } from 'zod';
import { createExperimentTrialFunction } from './create-experiment-trial-function.js';
import { EXPERIMENT_SCHEMAS, type experimentAnalysisSchema, type experimentDatasetSchema, type experimentTrainingSchema } from './experiment-schemas.js';

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** The backend every trial trains and is analyzed on (e.g. `createReferenceBackend()`, `createOnnxBackend({ ort })`). */
  backend: Backend;
  /** Which data: `{ name: 'mnist' | 'fashion-mnist' | 'tiny' | …, subsetPerClass?, testSubsetPerClass?, … }`. */
  dataset: z.input<typeof experimentDatasetSchema>;
  /** The model builder's config (`{ kind: 'mlp', inputShape, numClasses, hidden }`, `cnn`, `resnet`). */
  model: ModelConfigInput;
  /** The training package's options without weight decay and seed (epochs, batchSize, lr, momentum, schedule, …). */
  training: Omit<z.input<typeof experimentTrainingSchema>, 'weightDecay'>;
  /** λ of each trial (≥ 0). */
  weightDecays: readonly number[];
  /** One trial per weight decay and seed. Default [0]. */
  seeds?: readonly number[];
  /** When and how to analyze: `checkpoints` (epochs, 0 = initialization; default the last), `compress`, `rankTolerance`, … */
  analysis?: z.input<typeof experimentAnalysisSchema>;
  /** SQLite file of the rows (rerunning resumes it); default `:memory:` (nothing kept after the call). */
  store?: string;
  /** Name of the sweep in the store. Default `experiment`. */
  name?: string;
  /** Save a checkpoint every this many epochs (and at every analyzed one). Default 5. */
  checkpointEvery?: number;
  /** Stops the experiment: the running trial stays queued and resumes when the same call is made again. */
  signal?: AbortSignal;
  /** Progress of the trials (the sweep package's reporters, e.g. `createProgressReporter()`). Default silent. */
  reporter?: SweepReporter;
}

/** One trial of an experiment with every row it recorded. */
export interface ExperimentTrialResult {
  key: string;
  weightDecay: number;
  seed: number;
  status: TrialStatus;
  /** Error message (failed) or divergence reason (diverged). */
  error: string | null;
  epochs: StoredEpochRecord[];
  /** One row per layer and analyzed epoch (`epoch`), ordered by epoch then layer. */
  layers: StoredLayerRecord[];
  compression: CompressionResult[];
}

export interface ExperimentResult {
  /** Where the rows are (`:memory:` when no store was given). */
  store: string;
  /** In grid order: weight decays outermost, then seeds. */
  trials: ExperimentTrialResult[];
  summary: SweepSummary;
}

/**
 * Runs every trial of the experiment one after the other in this process and returns its rows.
 * @throws SweepConfigError when a section is invalid (every problem listed, with its field path); a trial's
 *   own errors do not throw: the trial ends `failed` with its message.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentResult> {
  const name = options.name ?? 'experiment';
  const config = sweepConfigSchemaFor().parse({
    name,
    dataset: options.dataset,
    model: options.model,
    training: options.training,
    grid: { weightDecay: [...options.weightDecays], seed: [...(options.seeds ?? [0])] },
    analysis: options.analysis ?? {},
    backend: options.backend.name,
  });
  const trials = expandGrid(config, { schemas: EXPERIMENT_SCHEMAS });
  const path = options.store ?? ':memory:';
  const store = openSweepStore(path, { lock: { command: 'runExperiment' } });
  try {
    const trialFunction = createExperimentTrialFunction({ backendFor: () => options.backend, checkpointEvery: options.checkpointEvery });
    const summary = await runSweep({
      sweep: { name, config },
      trials,
      store,
      executor: createInProcessExecutor({ trialFunction }),
      ...(options.reporter && { reporter: options.reporter }),
      ...(options.signal && { signal: options.signal }),
    });
    return {
      store: path,
      summary,
      trials: trials.map((trial) => {
        const stored = store.getTrial(trial.key)!;
        return {
          key: trial.key,
          weightDecay: trial.config.training.weightDecay,
          seed: trial.config.seed,
          status: stored.status,
          error: stored.error,
          epochs: store.epochs(trial.key),
          layers: store.layers(trial.key),
          compression: store.compression(trial.key),
        };
      }),
    };
  } finally {
    store.close();
  }
}
