#!/usr/bin/env node
// Benchmark: SGD steps of the VGG-style CNN of the paper-cnn preset (conv 3×3 32-32, max pool, conv 3×3 64-64,
// max pool, dense 256, dense 10; batch 128, momentum 0.9, weight decay 5e-4 on weights, 1×28×28 random data)
// through the product's training path (buildCnn, buildTrainStep, createStepRunner) on onnxruntime-node, against
// PyTorch (Debian python3-torch) on the same network, batch, step count and data size, both with --threads
// threads, alternating, median of --reps. Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-cnn.mjs [--reps 3] [--steps 48] [--batch 128] [--threads 2] [--python /usr/bin/python3]
import { tsImport } from 'tsx/esm/api';
import { ensureSourceConditions } from './lib/harness.mjs';
import { runTrainBenchmark } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
await runTrainBenchmark({
  name: 'train-cnn-32x2-64x2-256',
  peerModel: 'cnn',
  createBackend: async (threads) => onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads }),
  defaults: { reps: 3, steps: 48 },
  hyper: { lr: 0.02, momentum: 0.9, weightDecay: 5e-4 },
  buildModel: (models) =>
    models.buildCnn({ inputShape: [1, 28, 28], numClasses: 10, blocks: [{ channels: [32, 32], pool: 'max' }, { channels: [64, 64], pool: 'max' }], hidden: [256] }),
});
