#!/usr/bin/env node
// Benchmark: one SGD epoch of the MLP 784-512-512-512-10 (ReLU, batch 128, 469 steps, momentum 0.9, weight
// decay 5e-4 on weights, lr fed per step) through the product's training path (buildMlp, buildTrainStep,
// createStepRunner: the train-step graph unrolled --steps-per-run times, default the trainer's) on
// onnxruntime-node, against PyTorch (Debian python3-torch + OpenBLAS) on the same network, batch, step count and
// random MNIST-size data, both with 2 threads, alternating, median of --reps.
// Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-mlp.mjs [--reps 5] [--steps 469] [--batch 128] [--threads 2] [--steps-per-run 16]
//                            [--python /usr/bin/python3]
import { tsImport } from 'tsx/esm/api';
import { ensureSourceConditions } from './lib/harness.mjs';
import { runTrainBenchmark } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
await runTrainBenchmark({
  name: 'train-mlp-784-512x3-10',
  peerModel: 'mlp',
  createBackend: async (threads) => onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads }),
  defaults: { reps: 5, steps: 469 },
  hyper: { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
});
