import { float32, formatShape, type Backend, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import { batchCount, batches, oneHot, type DatasetSplits } from '@rank-collapse/datasets/core';
import type { Model } from '@rank-collapse/models';
import { buildTrainStep } from './build-train-step.js';
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
import type { EpochRecord } from './epoch-record.js';
import { createEvaluator } from './evaluator.js';
import { learningRate } from './learning-rate.js';
import { createStepRunner, type StepFeed } from './step-runner.js';
import { parseTrainOptions, TrainingError, type TrainOptionsInput } from './train-options.js';

export interface TrainArgs {
  /** Where the step runs; the step graph is compiled once on it. */
  readonly backend: Backend;
  readonly model: Model;
  /** Training split (shuffled per epoch) and test split (evaluated after every epoch). */
  readonly data: DatasetSplits;
  readonly options: TrainOptionsInput;
  /** Start from these params instead of `model.initialParams(options.seed)`. */
  readonly initialParams?: ReadonlyMap<string, HostTensor>;
  /** Continue a run from its checkpoint (same model, data and options): the result equals an uninterrupted run. */
  readonly resume?: Checkpoint;
  /** Called after every epoch with its record. */
  readonly onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Called with every checkpoint (every `checkpointEvery` epochs and after the last). */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Aborts between backend runs (groups of `stepsPerRun` steps); the result then has status 'aborted'. */
  readonly signal?: AbortSignal;
  /**
   * SGD steps per backend run (the step graph unrolled; see createStepRunner). Results do not depend on it;
   * larger values cross the runtime boundary less often. The abort signal is checked between runs, and a
   * diverged run reports the exact step but returns the params after its group. Default 16.
   */
  readonly stepsPerRun?: number;
  /** Attached to every checkpoint (e.g. a trial key). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface TrainResult {
  /** 'done' after all epochs; 'diverged' at a NaN/Inf loss or param; 'aborted' when the signal fired. */
  readonly status: 'done' | 'diverged' | 'aborted';
  /** Final values of every model param (running stats included), as the backend holds them. */
  readonly params: Map<string, HostTensor>;
  /** Records of every completed epoch (those of a resumed checkpoint first). */
  readonly epochs: EpochRecord[];
  /** Where training diverged: the 1-based epoch and global step, and what was not finite. */
  readonly diverged?: { readonly epoch: number; readonly step: number; readonly reason: string };
  /** The last checkpoint made (after the last epoch when status is 'done'). */
  readonly checkpoint?: Checkpoint;
}

const frobenius = (t: HostTensor): number => {
  let s = 0;
  for (const v of t.data as Float32Array | Float64Array) s += v * v;
  return Math.sqrt(s);
};

const allFinite = (t: HostTensor): boolean => {
  for (const v of t.data as Float32Array | Float64Array) if (!Number.isFinite(v)) return false;
  return true;
};

/**
 * Trains `model` with SGD (momentum, weight decay, schedule) on `backend`, one compiled step graph
 * (see buildTrainStep) fed with shuffled mini-batches; params and velocities stay resident between steps.
 * Each epoch visits the training set in the order fixed by (seed, epoch) and drops its last partial batch
 * (every step sees exactly batchSize samples); test evaluation covers every sample. Same seed, data and
 * backend give bit-identical params. A non-finite loss (checked every step) or param (checked every epoch)
 * ends the run with status 'diverged' instead of throwing.
 * @throws TrainingError for invalid options, data that does not fit the model, or a checkpoint of another
 * run; GraphError/RunError from the backend.
 */
export async function train(args: TrainArgs): Promise<TrainResult> {
  const { backend, model, data } = args;
  const options = parseTrainOptions(args.options);
  checkData(model, data);
  const stepsPerEpoch = batchCount(data.train.size, options.batchSize, true);
  if (stepsPerEpoch === 0) throw new TrainingError(`batchSize ${options.batchSize} exceeds the ${data.train.size} training samples (partial batches are dropped)`);

  const step = buildTrainStep(model, options);
  const modelParams = model.graph.params.map((p) => p.name);
  const start = initialState(args, options.seed, step.velocities, modelParams);
  const epochs: EpochRecord[] = [...(args.resume?.epochs ?? [])];
  let globalStep = args.resume?.step ?? 0;

  const state = new Map<string, ResidentTensor>();
  for (const [name, t] of start) state.set(name, backend.upload(t));
  const runner = createStepRunner(backend, step, args.stepsPerRun);
  const evaluator = await createEvaluator(backend, model, options.loss);
  const download = async (names: readonly string[]): Promise<Map<string, HostTensor>> => {
    const out = new Map<string, HostTensor>();
    for (const name of names) out.set(name, await backend.download(state.get(name)!));
    return out;
  };
  const checkpointOf = async (epoch: number): Promise<Checkpoint> => {
    const velocities = new Map<string, HostTensor>();
    for (const [param, velocity] of Object.entries(step.velocities)) velocities.set(param, await backend.download(state.get(velocity)!));
    return {
      format: CHECKPOINT_FORMAT,
      epoch,
      step: globalStep,
      seed: options.seed,
      params: await download(modelParams),
      velocities,
      epochs: [...epochs],
      ...(args.meta ? { meta: args.meta } : {}),
    };
  };

  let lastCheckpoint: Checkpoint | undefined;
  try {
    for (let epoch = args.resume?.epoch ?? 0; epoch < options.epochs; epoch++) {
      const began = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let lr = learningRate(options, globalStep, stepsPerEpoch);
      const group: StepFeed[] = [];
      const runGroup = async (): Promise<TrainResult | undefined> => {
        const first = globalStep;
        const results = await runner.run(state, group);
        globalStep += group.length;
        const bad = results.loss.findIndex((l) => !Number.isFinite(l));
        if (bad >= 0) {
          const at = first + bad + 1;
          return { status: 'diverged', params: await download(modelParams), epochs, diverged: { epoch: epoch + 1, step: at, reason: `loss is ${results.loss[bad]} at step ${at}` } };
        }
        group.forEach((s, k) => {
          lossSum += results.loss[k] * s.x.shape[0];
          correct += results.correct[k];
          seen += s.x.shape[0];
        });
        group.length = 0;
        return undefined;
      };
      for (const batch of batches(data.train, { batchSize: options.batchSize, seed: `${options.seed}/batches`, epoch, dropLast: true })) {
        if (group.length === 0 && args.signal?.aborted) return { status: 'aborted', params: await download(modelParams), epochs, ...(lastCheckpoint ? { checkpoint: lastCheckpoint } : {}) };
        lr = learningRate(options, globalStep + group.length, stepsPerEpoch);
        group.push({
          x: float32([batch.size, ...model.sampleShape], batch.x),
          targets: float32([batch.size, model.numClasses], oneHot(batch.y, model.numClasses)),
          lr,
        });
        if (group.length === runner.stepsPerRun) {
          const stopped = await runGroup();
          if (stopped) return stopped;
        }
      }
      if (group.length > 0) {
        const stopped = await runGroup();
        if (stopped) return stopped;
      }

      const params = await download(modelParams);
      const bad = [...params].find(([, t]) => !allFinite(t));
      if (bad) return { status: 'diverged', params, epochs, diverged: { epoch: epoch + 1, step: globalStep, reason: `param "${bad[0]}" has non-finite values` } };
      const test = await evaluator.evaluate(data.test, Object.fromEntries([...state].filter(([name]) => params.has(name))), options.evalBatchSize);
      const weightNorms: Record<string, number> = {};
      for (const name of step.trainable) weightNorms[name] = frobenius(params.get(name)!);
      const penalty = (options.weightDecay / 2) * step.decayed.reduce((s, name) => s + weightNorms[name] ** 2, 0);
      const record: EpochRecord = {
        epoch: epoch + 1,
        steps: globalStep,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        weightNorms,
        penalty,
        lr,
        seconds: (performance.now() - began) / 1000,
      };
      epochs.push(record);
      await args.onEpoch?.(record);
      const last = epoch + 1 === options.epochs;
      if (last || (options.checkpointEvery > 0 && (epoch + 1) % options.checkpointEvery === 0)) {
        lastCheckpoint = await checkpointOf(epoch + 1);
        await args.onCheckpoint?.(lastCheckpoint);
      }
    }
    return { status: 'done', params: await download(modelParams), epochs, ...(lastCheckpoint ? { checkpoint: lastCheckpoint } : {}) };
  } finally {
    for (const t of state.values()) backend.dispose(t);
    runner.dispose();
    evaluator.dispose();
  }
}

function checkData(model: Model, data: DatasetSplits): void {
  const per = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
  for (const split of [data.train, data.test]) {
    if (per(split.sampleShape) !== per(model.sampleShape)) {
      throw new TrainingError(`dataset "${split.name}" has samples of shape [${split.sampleShape}], the model takes [${model.sampleShape}]`);
    }
    if (split.numClasses !== model.numClasses) throw new TrainingError(`dataset "${split.name}" has ${split.numClasses} classes, the model ${model.numClasses}`);
  }
}

/** Params and zero (or resumed) velocities, keyed by graph param name, checked against the model. */
function initialState(args: TrainArgs, seed: number | string, velocities: Readonly<Record<string, string>>, modelParams: readonly string[]): Map<string, HostTensor> {
  const { resume, model } = args;
  if (resume && String(resume.seed) !== String(seed)) throw new TrainingError(`checkpoint was made with seed ${resume.seed}, options have seed ${seed}`);
  const params = resume?.params ?? args.initialParams ?? model.initialParams(seed);
  const state = new Map<string, HostTensor>();
  const shapes = new Map(model.trainingGraph.params.map((p) => [p.name, p.shape]));
  const take = (name: string, t: HostTensor | undefined, what: string, shape: readonly number[]): void => {
    if (!t) throw new TrainingError(`${what} "${name}" is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) throw new TrainingError(`${what} "${name}" has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    state.set(name, t);
  };
  for (const name of modelParams) take(name, params.get(name), resume ? 'checkpoint param' : 'initial param', shapes.get(name) as number[]);
  for (const [param, velocity] of Object.entries(velocities)) {
    const shape = shapes.get(param) as number[];
    const v = resume ? resume.velocities.get(param) : float32(shape);
    take(velocity, v, 'checkpoint velocity of', shape);
  }
  return state;
}
