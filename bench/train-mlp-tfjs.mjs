#!/usr/bin/env node
// Benchmark: one SGD epoch of the MLP 784-512-512-512-10 (ReLU, batch 128, 469 steps, momentum 0.9, weight
// decay 5e-4 on weights) through the product's training path (buildMlp, buildTrainStep, createStepRunner) run op
// by op by the TensorFlow.js backend (wasm with SIMD, single thread, unless --flavor says otherwise), against PyTorch
// (Debian python3-torch + OpenBLAS, --threads threads) on the same network, batch, step count and random
// MNIST-size data, alternating, median of --reps. Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-mlp-tfjs.mjs [--reps 3] [--steps 469] [--batch 128] [--threads 2] [--flavor wasm] [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';
import { randomData } from './lib/mlp-graphs.mjs';
import { productTrainer } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
const steps = Number(option('--steps', '469'));
const batch = Number(option('--batch', '128'));
const threads = Number(option('--threads', '2'));
const flavor = option('--flavor', 'wasm');
const python = option('--python', '/usr/bin/python3');
const hyper = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 };

const tfjs = await tsImport('../packages/backend-tfjs/src/index.ts', import.meta.url);
const loaded = await tfjs.loadTfjs({ prefer: [flavor] });
const backend = tfjs.createTfjsBackend({ tf: loaded.tf });

const trainer = await productTrainer(backend, hyper);
const data = randomData(steps * batch);
// Compiles the step graphs outside the timing (the repetitions have no separate warm-up: they are long).
await trainer.epoch(data, trainer.stepsPerRun, batch);

async function project() {
  const cpu0 = process.cpuUsage();
  const seconds = await trainer.epoch(data, steps, batch);
  // CPU time of this single-threaded process: close to the wall time an unloaded machine would show.
  const cpu = process.cpuUsage(cpu0);
  console.error(`# tfjs ${flavor}: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
  return seconds;
}

const peerProcess = await startPeer(python, [join(here, 'train-mlp.py')]);
const peer = async () => (await peerProcess.request({ steps, batch, threads, lr: hyper.lr, momentum: hyper.momentum, weight_decay: hyper.weightDecay })).seconds;
console.error(`# ${backend.device}; ${loaded.description}; peer torch ${peerProcess.ready.torch} (${threads} threads); ${steps} steps of batch ${batch}`);
try {
  await compare({ name: `train-mlp-tfjs-${flavor} 784-512x3-10 b${batch} ${steps} steps`, project, peer, repetitions: reps, warmup: 0 });
} finally {
  peerProcess.close();
  trainer.dispose();
}
