/**
 * The experiment pipeline of one trial: resolve the trial's config, load its data, build its model, train it
 * with checkpoints (resuming from the one the store hands back), analyze it at the configured epochs, compress
 * it after the last one, and record every epoch, layer row and compression result through the trial context.
 * A diverged run is a result, recorded as such.
 */
import { analyze, compress, evaluateAccuracy } from '@rank-collapse/analysis';
import type { Backend, HostTensor } from '@rank-collapse/backend';
import type { DatasetSplits } from '@rank-collapse/datasets';
import { buildModel, type Model } from '@rank-collapse/models';
import { compressionLabel, storedEpochRecord, type CompressionResult } from '@rank-collapse/rows';
import { checkpointEpochs, type TrialContext, type TrialFunction, type TrialOutcome } from '@rank-collapse/sweep';
import { decodeCheckpoint, encodeCheckpoint, train, type Checkpoint } from '@rank-collapse/training';
import { experimentAnalysisSchema, experimentDatasetSchema, experimentTrainingSchema, type ExperimentAnalysis } from './experiment-schemas.js';
import { layerRecords } from './layer-records.js';
import { loadTrialData } from './load-trial-data.js';

/** Options of {@link createExperimentTrialFunction}. */
export interface ExperimentTrialOptions {
  /**
   * The backend of a trial, given its config's `backend` name (e.g. `() => backend` for one injected backend,
   * or a per-process cache that creates the named one). Called once per trial.
   */
  backendFor: (name: string) => Backend | Promise<Backend>;
  /** Save a training checkpoint to the store every this many epochs (and at every analyzed epoch). Default 5. */
  checkpointEvery?: number;
  /** SGD steps per backend run (see `train`); default the training package's. */
  stepsPerRun?: number;
}

/**
 * Creates the trial function of an experiment, for any sweep executor (in this process, worker processes, a
 * queue). Sections are parsed again with the experiment's schemas, so a trial config written by hand (or by an
 * older sweep) gets the same defaults as one from a sweep file.
 * @throws from the returned function: data, model, training and backend errors (the trial is then `failed`).
 */
export function createExperimentTrialFunction(options: ExperimentTrialOptions): TrialFunction {
  const saveEvery = options.checkpointEvery ?? 5;
  return async (context: TrialContext): Promise<TrialOutcome> => {
    const { config } = context;
    const dataset = experimentDatasetSchema.parse(config.dataset);
    const training = experimentTrainingSchema.parse(config.training);
    const analysis = experimentAnalysisSchema.parse(config.analysis);
    const backend = await options.backendFor(config.backend);
    const data = loadTrialData(dataset);
    const model = buildModel(config.model);
    const analyzeAt = new Set(checkpointEpochs(analysis.checkpoints, training.epochs));
    const weightDecay = training.weightDecay;
    context.log(`${backend.name} (${backend.device}); ${data.train.size} training samples; ${model.paramCount} parameters; λ = ${weightDecay}`);

    const resume = context.resumeFrom?.data ? decodeCheckpoint(context.resumeFrom.data, `checkpoint of trial ${context.key}`) : undefined;
    if (resume) context.log(`resuming from epoch ${resume.epoch}`);
    else if (analyzeAt.has(0)) await analyzeAndRecord(context, { backend, model, data, analysis, weightDecay, epoch: 0, params: model.initialParams(config.seed), final: false });

    const result = await train({
      backend,
      model,
      data,
      options: { ...training, seed: config.seed, checkpointEvery: 1 },
      ...(resume && { resume }),
      signal: context.signal,
      ...(options.stepsPerRun !== undefined && { stepsPerRun: options.stepsPerRun }),
      meta: { trial: context.key },
      onEpoch: async (record) => {
        await context.recordEpoch(storedEpochRecord(record, { backend: backend.name }));
        context.progress({ epoch: record.epoch, epochs: training.epochs, metrics: { loss: record.trainLoss, acc: record.trainAccuracy, test: record.testAccuracy } });
      },
      onCheckpoint: async (checkpoint: Checkpoint) => {
        const final = checkpoint.epoch === training.epochs;
        if (analyzeAt.has(checkpoint.epoch)) {
          await analyzeAndRecord(context, { backend, model, data, analysis, weightDecay, epoch: checkpoint.epoch, params: checkpoint.params, final });
        }
        // Rows up to this epoch are in the store before the checkpoint is: a resume never skips an analysis.
        if (final || analyzeAt.has(checkpoint.epoch) || checkpoint.epoch % saveEvery === 0) {
          await context.saveCheckpoint({ epoch: checkpoint.epoch, data: encodeCheckpoint(checkpoint) });
        }
      },
    });
    if (result.status === 'diverged') return { status: 'diverged', epoch: result.diverged?.epoch, reason: result.diverged?.reason };
    if (result.status === 'aborted') return { status: 'aborted', reason: 'sweep stopped' };
    return { status: 'done' };
  };
}

interface AnalysisStep {
  backend: Backend;
  model: Model;
  data: DatasetSplits;
  analysis: ExperimentAnalysis;
  weightDecay: number;
  epoch: number;
  params: ReadonlyMap<string, HostTensor>;
  /** After the last epoch: also run the configured compressions. */
  final: boolean;
}

async function analyzeAndRecord(context: TrialContext, step: AnalysisStep): Promise<void> {
  const { backend, model, data, analysis, weightDecay, epoch, params } = step;
  const tolerances = Array.isArray(analysis.rankTolerance) ? analysis.rankTolerance : [analysis.rankTolerance];
  const began = performance.now();
  const result = await analyze({
    backend,
    graph: model.graph,
    params,
    layers: model.layers,
    data: analysis.data === 'train' ? data.train : data.test,
    weightDecay,
    rankTolerance: tolerances[0],
    normalizedRankTolerance: analysis.normalizedRankTolerance,
    energyEpsilon: analysis.energyEpsilon,
    batchSize: analysis.batchSize,
    singularValues: analysis.singularValues || tolerances.length > 1,
    signal: context.signal,
  });
  const rows = layerRecords(result, { weightDecay, extraRankTolerances: tolerances.slice(1), keepSingularValues: analysis.singularValues });
  await context.recordLayers(epoch, rows);
  if (step.final && analysis.compress) for (const compression of await compressionResults(step, analysis.compress)) await context.recordCompression(compression);
  context.log(`epoch ${epoch}: analyzed ${result.sampleCount} samples in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

/**
 * The test accuracy after each configured truncation, with the accuracy before it, the rank each layer got,
 * its relative error, and the parameter counts.
 */
async function compressionResults(step: AnalysisStep, choices: NonNullable<ExperimentAnalysis['compress']>): Promise<CompressionResult[]> {
  const { backend, model, data, params, epoch } = step;
  const baseline = await evaluateAccuracy({ backend, graph: model.graph, params, data: data.test });
  const results: CompressionResult[] = [];
  for (const choice of choices) {
    const resolved: CompressionResult['choice'] = 'rank' in choice ? { rank: choice.rank === 'K' ? model.numClasses : choice.rank } : { energy: choice.energy };
    const rankChoice = 'rank' in resolved ? { rank: resolved.rank } : { energyEpsilon: resolved.energy };
    const compressed = compress({ graph: model.graph, params, layers: model.layers, choice: rankChoice });
    const accuracy = await evaluateAccuracy({ backend, graph: compressed.graph, params: compressed.params, data: data.test });
    results.push({
      epoch,
      label: compressionLabel(choice),
      choice: resolved,
      split: 'test',
      accuracy,
      baselineAccuracy: baseline,
      paramsBefore: compressed.paramsBefore,
      paramsAfter: compressed.paramsAfter,
      // compress reports the layers in the order it was given them: the analysis' order, so the index matches its rows.
      layers: compressed.layers.map((layer, index) => ({ layer: layer.layer, index, rank: layer.rank, relativeError: layer.relativeError })),
    });
  }
  return results;
}
