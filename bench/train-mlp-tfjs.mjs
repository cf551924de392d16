#!/usr/bin/env node
// Benchmark: one SGD epoch of the MLP 784-512-512-512-10 (ReLU, batch 128, 469 steps, momentum 0.9, weight
// decay 5e-4 on weights) through the product's training path (buildMlp, buildTrainStep, createStepRunner) run op
// by op by the TensorFlow.js backend (wasm with SIMD, single thread, unless --flavor says otherwise), against PyTorch
// (Debian python3-torch + OpenBLAS, --threads threads) on the same network, batch, step count and random
// MNIST-size data, alternating, median of --reps (no warm-up repetition: the epochs are long, and the step
// graphs are compiled before). Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-mlp-tfjs.mjs [--reps 3] [--steps 469] [--batch 128] [--threads 2] [--flavor wasm] [--python /usr/bin/python3]
import { tsImport } from 'tsx/esm/api';
import { ensureSourceConditions, option } from './lib/harness.mjs';
import { runTrainBenchmark } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const flavor = option('--flavor', 'wasm');
const tfjs = await tsImport('../packages/backend-tfjs/src/index.ts', import.meta.url);
await runTrainBenchmark({
  name: `train-mlp-tfjs-${flavor} 784-512x3-10`,
  peerModel: 'mlp',
  // tfjs's threads are its own (wasm: one); --threads sets the peer's.
  createBackend: async () => tfjs.createTfjsBackend({ tf: (await tfjs.loadTfjs({ prefer: [flavor] })).tf }),
  defaults: { reps: 3, steps: 469 },
  hyper: { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
  warmup: 0,
});
