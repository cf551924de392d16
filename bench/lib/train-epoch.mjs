// SGD steps of a benchmark model (default: the MLP) through the product's own training path: models, buildTrainStep
// (training: forward, cross-entropy, autodiff backward, SGD with momentum and coupled weight decay on weights,
// learning rate fed per step) and createStepRunner (steps unrolled `stepsPerRun` per backend run), on any
// backend. Shared by the ONNX and tfjs training benchmarks.
import { tsImport } from 'tsx/esm/api';
import { MLP_LAYERS } from './mlp-graphs.mjs';

/**
 * Compiles the train step on `backend` and returns `epoch(data, steps, batch)`, which trains freshly
 * initialized params for `steps` batches of `data` ({x, y} flat, y one-hot) and returns the wall seconds of
 * the step loop (compilation happens on the first call: run one warm-up epoch).
 */
export async function productTrainer(backend, { lr = 0.05, momentum = 0.9, weightDecay = 5e-4, stepsPerRun, layers = MLP_LAYERS, buildModel } = {}) {
  const models = await tsImport('../../packages/models/src/index.ts', import.meta.url);
  const training = await tsImport('../../packages/training/src/index.ts', import.meta.url);
  // `buildModel(models)` picks another model of the models package; inputs are then flat samples of its size.
  const model = buildModel ? buildModel(models) : models.buildMlp({ inputShape: [layers[0]], numClasses: layers.at(-1), hidden: layers.slice(1, -1) });
  const step = training.buildTrainStep(model, { momentum, weightDecay });
  const runner = training.createStepRunner(backend, step, stepsPerRun);
  const initial = model.initialParams(1);
  const [nIn, nOut] = [model.sampleShape.reduce((a, d) => a * d, 1), model.numClasses];
  return {
    stepsPerRun: runner.stepsPerRun,
    async epoch(data, steps, batch) {
      const state = new Map();
      for (const [name, t] of initial) state.set(name, backend.upload(t));
      for (const velocity of Object.values(step.velocities)) {
        const shape = model.trainingGraph.params.find((p) => `velocity/${p.name}` === velocity).shape;
        state.set(velocity, backend.upload({ dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)) }));
      }
      const feeds = [];
      for (let s = 0; s < steps; s++) {
        feeds.push({
          x: { dtype: 'float32', shape: [batch, ...model.sampleShape], data: data.x.subarray(s * batch * nIn, (s + 1) * batch * nIn) },
          targets: { dtype: 'float32', shape: [batch, nOut], data: data.y.subarray(s * batch * nOut, (s + 1) * batch * nOut) },
          lr,
        });
      }
      const t0 = performance.now();
      const { loss } = await runner.run(state, feeds);
      const seconds = (performance.now() - t0) / 1000;
      for (const t of state.values()) backend.dispose(t);
      if (!loss.every(Number.isFinite)) throw new Error('training diverged in the benchmark');
      return seconds;
    },
    dispose: () => runner.dispose(),
  };
}
