// SGD steps of a benchmark model (default: the MLP) through the product's own training path: models, buildTrainStep
// (training: forward, cross-entropy, autodiff backward, SGD with momentum and coupled weight decay on weights,
// learning rate fed per step) and createStepRunner (steps unrolled `stepsPerRun` per backend run), on any
// backend; and the whole benchmark around it (runTrainBenchmark). Shared by the three training benchmarks.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, option, startPeer } from './harness.mjs';
import { MLP_LAYERS, randomData } from './mlp-graphs.mjs';

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

/**
 * The whole training benchmark: options (--reps, --steps, --batch, --threads, --steps-per-run, --python), the
 * project's steps on `createBackend(threads)` against bench/train-peer.py training `peerModel` (the same network),
 * alternating, median; one JSON line from `compare`. The first `stepsPerRun` steps run once untimed, so
 * compilation stays out of the timing.
 */
export async function runTrainBenchmark({ name, peerModel, createBackend, defaults, hyper, buildModel, warmup = 1 }) {
  const reps = Number(option('--reps', String(defaults.reps)));
  const steps = Number(option('--steps', String(defaults.steps)));
  const batch = Number(option('--batch', '128'));
  const threads = Number(option('--threads', '2'));
  const python = option('--python', '/usr/bin/python3');
  const stepsPerRun = option('--steps-per-run') === undefined ? undefined : Number(option('--steps-per-run'));

  const backend = await createBackend(threads);
  const trainer = await productTrainer(backend, { ...hyper, stepsPerRun, buildModel });
  const data = randomData(steps * batch);
  await trainer.epoch(data, Math.min(steps, trainer.stepsPerRun), batch);

  const project = async () => {
    const cpu0 = process.cpuUsage();
    const seconds = await trainer.epoch(data, steps, batch);
    // CPU time of this process (all runtime threads): close to wall time × busy threads on an idle machine.
    const cpu = process.cpuUsage(cpu0);
    console.error(`#   project CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s (wall ${seconds.toFixed(3)} s)`);
    return seconds;
  };
  const peerProcess = await startPeer(python, [join(dirname(fileURLToPath(import.meta.url)), '..', 'train-peer.py')]);
  const peer = async () => {
    const r = await peerProcess.request({ model: peerModel, steps, batch, threads, lr: hyper.lr, momentum: hyper.momentum, weight_decay: hyper.weightDecay });
    console.error(`#   peer CPU time ${r.cpu_seconds.toFixed(3)} s (wall ${r.seconds.toFixed(3)} s)`);
    return r.seconds;
  };
  const ready = peerProcess.ready;
  console.error(`# ${backend.device}; ${trainer.stepsPerRun} steps per run; peer torch ${ready.torch} (mkldnn ${ready.mkldnn}, ${threads} threads); ${steps} steps of batch ${batch}`);
  try {
    await compare({ name: `${name} b${batch} ${steps} steps`, project, peer, repetitions: reps, warmup });
  } finally {
    peerProcess.close();
    trainer.dispose();
    await backend.close?.();
  }
}
