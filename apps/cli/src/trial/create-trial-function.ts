/**
 * The trial function of a sweep: resolve the trial's config, load its data, build its model, train it with
 * checkpoints (resuming from the one the store hands back), analyze it at the configured epochs, and record
 * every epoch and layer row in the store. A diverged run is a result, recorded as such.
 */
import { analyze, compress, evaluateAccuracy } from '@rank-collapse/analysis';
import type { Backend, HostTensor } from '@rank-collapse/backend';
import type { DatasetSplits } from '@rank-collapse/datasets';
import { buildModel, type Model } from '@rank-collapse/models';
import { checkpointEpochs, type LayerRecord, type TrialContext, type TrialFunction, type TrialOutcome } from '@rank-collapse/sweep';
import { decodeCheckpoint, encodeCheckpoint, train, type Checkpoint, type EpochRecord } from '@rank-collapse/training';
import type { BackendChoice } from '../backends/backend-factories.js';
import { layerRecords } from './layer-records.js';
import { trialAnalysisSchema, trialDatasetSchema, trialTrainingSchema, type TrialAnalysis } from './sweep-schemas.js';
import { loadTrialData } from './trial-data.js';

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
 * Creates the trial function. Sections are parsed again with the injected schemas, so a trial config written
 * by hand (or by an older sweep) gets the same defaults as one from a sweep file.
 * @throws from the returned function: data, model, training and backend errors (the trial is then `failed`).
 */
export function createTrialFunction(options: TrialFunctionOptions): TrialFunction {
  const saveEvery = options.checkpointEvery ?? 5;
  return async (context: TrialContext): Promise<TrialOutcome> => {
    const { config } = context;
    const dataset = trialDatasetSchema.parse(config.dataset);
    const training = trialTrainingSchema.parse(config.training);
    const analysis = trialAnalysisSchema.parse(config.analysis);
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
        await context.recordEpoch(epochRow(record, backend.name));
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

/** The training package's epoch record, flattened for the store (weight norms become `norm:<param>`). */
function epochRow(record: EpochRecord, backend: string): Parameters<TrialContext['recordEpoch']>[0] {
  const { weightNorms, ...scalars } = record;
  const row: Parameters<TrialContext['recordEpoch']>[0] = { ...scalars, backend };
  for (const [param, norm] of Object.entries(weightNorms)) row[`norm:${param}`] = norm;
  return row;
}

interface AnalysisStep {
  backend: Backend;
  model: Model;
  data: DatasetSplits;
  analysis: TrialAnalysis;
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
  if (step.final && analysis.compress) await addCompression(rows, step, analysis.compress);
  await context.recordLayers(epoch, rows);
  context.log(`epoch ${epoch}: analyzed ${result.sampleCount} samples in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

/**
 * Adds, to every row of the final analysis, the test accuracy after each configured truncation
 * (`compressedAccuracy[rank=K]`, …), the rank each layer got and its relative error, and the parameter counts.
 */
async function addCompression(rows: LayerRecord[], step: AnalysisStep, choices: NonNullable<TrialAnalysis['compress']>): Promise<void> {
  const { backend, model, data, params } = step;
  const baseline = await evaluateAccuracy({ backend, graph: model.graph, params, data: data.test });
  for (const row of rows) row.testAccuracy = baseline;
  for (const choice of choices) {
    const label = 'rank' in choice ? `rank=${choice.rank}` : `energy=${choice.energy}`;
    const rankChoice = 'rank' in choice ? { rank: choice.rank === 'K' ? model.numClasses : choice.rank } : { energyEpsilon: choice.energy };
    const compressed = compress({ graph: model.graph, params, layers: model.layers, choice: rankChoice });
    const accuracy = await evaluateAccuracy({ backend, graph: compressed.graph, params: compressed.params, data: data.test });
    for (const row of rows) {
      const layer = compressed.layers.find((l) => l.layer === row.layer);
      row[`compressedAccuracy[${label}]`] = accuracy;
      row[`compressedParams[${label}]`] = compressed.paramsAfter;
      row[`compressedRank[${label}]`] = layer?.rank ?? null;
      row[`compressedError[${label}]`] = layer?.relativeError ?? null;
    }
  }
}
