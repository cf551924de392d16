#!/usr/bin/env node
// Benchmark: SGD steps of the VGG-style CNN of the paper-cnn preset (conv 3×3 32-32, max pool, conv 3×3 64-64,
// max pool, dense 256, dense 10; batch 128, momentum 0.9, weight decay 5e-4 on weights, 1×28×28 random data)
// through the product's training path (buildCnn, buildTrainStep, createStepRunner) on onnxruntime-node, against
// PyTorch (Debian python3-torch) on the same network, batch, step count and data size, both with --threads
// threads, alternating, median of --reps. Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-cnn.mjs [--reps 3] [--steps 48] [--batch 128] [--threads 2] [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';
import { randomData } from './lib/mlp-graphs.mjs';
import { productTrainer } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
const steps = Number(option('--steps', '48'));
const batch = Number(option('--batch', '128'));
const threads = Number(option('--threads', '2'));
const python = option('--python', '/usr/bin/python3');
const hyper = { lr: 0.02, momentum: 0.9, weightDecay: 5e-4 };

const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
const backend = onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads });
const buildModel = (models) =>
  models.buildCnn({ inputShape: [1, 28, 28], numClasses: 10, blocks: [{ channels: [32, 32], pool: 'max' }, { channels: [64, 64], pool: 'max' }], hidden: [256] });
const trainer = await productTrainer(backend, { ...hyper, buildModel });
const data = randomData(steps * batch, 784, 10);

async function project() {
  const cpu0 = process.cpuUsage();
  const seconds = await trainer.epoch(data, steps, batch);
  const cpu = process.cpuUsage(cpu0);
  console.error(`#   project CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s (wall ${seconds.toFixed(3)} s)`);
  return seconds;
}

const peerProcess = await startPeer(python, [join(here, 'train-cnn.py')]);
const peer = async () => {
  const r = await peerProcess.request({ steps, batch, threads, lr: hyper.lr, momentum: hyper.momentum, weight_decay: hyper.weightDecay });
  console.error(`#   peer CPU time ${r.cpu_seconds.toFixed(3)} s (wall ${r.seconds.toFixed(3)} s)`);
  return r.seconds;
};
console.error(`# ${backend.device}; ${trainer.stepsPerRun} steps per run; peer torch ${peerProcess.ready.torch} (mkldnn ${peerProcess.ready.mkldnn}); ${steps} steps of batch ${batch}`);
try {
  await compare({ name: `train-cnn-32x2-64x2-256 b${batch} ${steps} steps`, project, peer, repetitions: reps });
} finally {
  peerProcess.close();
  trainer.dispose();
}
