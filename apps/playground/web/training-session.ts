/**
 * One playground run: an MLP trained with SGD + weight decay on any Backend, step for step as
 * `train()` of @rank-collapse/training does it (same step graph, batch order, learning rate and initialization),
 * stopping every `analyzeEvery` steps for the collapse analysis of @rank-collapse/analysis. Runs in the page's
 * Web Worker and, in tests, in Node.
 */
import { analyze } from '@rank-collapse/analysis';
import { float32, type Backend, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import { batchCount, batches, oneHot, type DatasetSplits } from '@rank-collapse/datasets/core';
import { buildModel, type Model } from '@rank-collapse/models';
import { buildTrainStep, createEvaluator, createStepRunner, learningRate, parseTrainOptions, type StepFeed } from '@rank-collapse/training/core';
import type { RunConfig } from './run-config.js';
import { layerSnapshot, type Snapshot } from './snapshot.js';

/** Steps unrolled into one backend run (results do not depend on it; see createStepRunner). */
const STEPS_PER_RUN = 8;

export interface SessionArgs {
  readonly backend: Backend;
  readonly data: DatasetSplits;
  readonly config: RunConfig;
  /** Called with every snapshot, in order (step 0 first, the last step last). */
  readonly onSnapshot: (snapshot: Snapshot) => void | Promise<void>;
  /** Checked between backend runs. */
  readonly signal?: AbortSignal;
}

export interface SessionResult {
  readonly status: 'done' | 'aborted' | 'diverged';
  readonly steps: number;
  /** Final model params (float32 as the backend holds them). */
  readonly params: Map<string, HostTensor>;
}

/** The model of a run: an MLP with `depth` hidden layers of `width` ReLU units (He init, biases, seeded). */
export function playgroundModel(config: Pick<RunConfig, 'width' | 'depth'>, data: DatasetSplits): Model {
  return buildModel({ kind: 'mlp', inputShape: data.train.sampleShape, numClasses: data.train.numClasses, hidden: Array.from({ length: config.depth }, () => config.width) });
}

/**
 * Trains `config.steps` SGD steps and reports a snapshot at step 0, every `analyzeEvery` steps and at the end.
 * @throws TrainingError for invalid options; RunError from the backend.
 */
export async function runSession(args: SessionArgs): Promise<SessionResult> {
  const { backend, data, config } = args;
  const model = playgroundModel(config, data);
  const stepsPerEpoch = batchCount(data.train.size, config.batchSize, true);
  const options = parseTrainOptions({
    epochs: Math.max(1, Math.ceil(config.steps / Math.max(1, stepsPerEpoch))),
    batchSize: config.batchSize,
    lr: config.lr,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    seed: config.seed,
  });
  const step = buildTrainStep(model, options);
  const modelParams = model.graph.params.map((p) => p.name);
  const state = new Map<string, ResidentTensor>();
  for (const [name, t] of model.initialParams(options.seed)) state.set(name, backend.upload(t));
  const shapes = new Map(model.trainingGraph.params.map((p) => [p.name, p.shape as number[]]));
  for (const [param, velocity] of Object.entries(step.velocities)) state.set(velocity, backend.upload(float32(shapes.get(param)!)));
  const runner = createStepRunner(backend, step, STEPS_PER_RUN);
  const evaluator = await createEvaluator(backend, model, options.loss);

  const download = async (): Promise<Map<string, HostTensor>> => {
    const out = new Map<string, HostTensor>();
    for (const name of modelParams) out.set(name, await backend.download(state.get(name)!));
    return out;
  };
  // The batch stream of train(): epoch e in the order of (seed/batches, e), the last partial batch dropped.
  function* feeds(): Generator<StepFeed> {
    let index = 0;
    for (let epoch = 0; ; epoch++) {
      for (const batch of batches(data.train, { batchSize: options.batchSize, seed: `${options.seed}/batches`, epoch, dropLast: true })) {
        yield {
          x: float32([batch.size, ...model.sampleShape], batch.x),
          targets: float32([batch.size, model.numClasses], oneHot(batch.y, model.numClasses)),
          lr: learningRate(options, index++, stepsPerEpoch),
        };
      }
    }
  }

  let done = 0;
  let trainSeconds = 0;
  let lossSum = 0;
  let lossCount = 0;
  let windowSteps = 0;
  let windowSeconds = 0;
  const report = async (): Promise<void> => {
    const began = performance.now();
    const params = await download();
    const analysis = await analyze({ backend, graph: model.graph, params, data: data.train, weightDecay: config.weightDecay, singularValues: true, batchSize: 500 });
    const resident = Object.fromEntries([...state].filter(([name]) => params.has(name)));
    const test = await evaluator.evaluate(data.test, resident, 500);
    await args.onSnapshot({
      step: done,
      trainLoss: lossCount > 0 ? lossSum / lossCount : null,
      trainAccuracy: analysis.accuracy ?? NaN,
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      layers: analysis.rows.map(layerSnapshot),
      trainSeconds,
      stepsPerSecond: windowSteps > 0 ? windowSteps / windowSeconds : null,
      analysisSeconds: (performance.now() - began) / 1000,
    });
    lossSum = lossCount = windowSteps = windowSeconds = 0;
  };

  try {
    await report();
    const stream = feeds();
    while (done < config.steps) {
      if (args.signal?.aborted) return { status: 'aborted', steps: done, params: await download() };
      const untilReport = config.analyzeEvery - (done % config.analyzeEvery);
      const count = Math.min(STEPS_PER_RUN, untilReport, config.steps - done);
      const group = Array.from({ length: count }, () => stream.next().value as StepFeed);
      const began = performance.now();
      const results = await runner.run(state, group);
      const seconds = (performance.now() - began) / 1000;
      trainSeconds += seconds;
      windowSeconds += seconds;
      windowSteps += count;
      done += count;
      if (results.loss.some((l) => !Number.isFinite(l))) {
        await report();
        return { status: 'diverged', steps: done, params: await download() };
      }
      for (const l of results.loss) lossSum += l;
      lossCount += count;
      if (done % config.analyzeEvery === 0 || done === config.steps) await report();
    }
    return { status: 'done', steps: done, params: await download() };
  } finally {
    for (const t of state.values()) backend.dispose(t);
    runner.dispose();
    evaluator.dispose();
  }
}
