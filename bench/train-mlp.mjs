#!/usr/bin/env node
// Benchmark: one SGD epoch of the MLP 784-512-512-512-10 (ReLU, batch 128, 469 steps, momentum 0.9, weight
// decay 5e-4 on weights, lr fed per step) through the product's training path (buildMlp, buildTrainStep,
// createStepRunner: the train-step graph unrolled --steps-per-run times, default the trainer's) on
// onnxruntime-node, against PyTorch (Debian python3-torch + OpenBLAS) on the same network, batch, step count and
// random MNIST-size data, both with 2 threads, alternating, median of --reps.
// Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-mlp.mjs [--reps 5] [--steps 469] [--batch 128] [--threads 2] [--steps-per-run 8]
//                            [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';
import { randomData } from './lib/mlp-graphs.mjs';
import { productTrainer } from './lib/train-epoch.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '5'));
const steps = Number(option('--steps', '469'));
const batch = Number(option('--batch', '128'));
const threads = Number(option('--threads', '2'));
const python = option('--python', '/usr/bin/python3');
const stepsPerRun = option('--steps-per-run') === undefined ? undefined : Number(option('--steps-per-run'));
const hyper = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 };

const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
const ort = await onnx.loadOrt();
const backend = onnx.createOnnxBackend({ ort, intraOpThreads: threads });

const trainer = await productTrainer(backend, { ...hyper, stepsPerRun });
const data = randomData(steps * batch);

async function project() {
  const cpu0 = process.cpuUsage();
  const seconds = await trainer.epoch(data, steps, batch);
  // CPU time of this process (all runtime threads): close to the idle-machine wall time × threads when busy.
  const cpu = process.cpuUsage(cpu0);
  console.error(`#   project CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s (wall ${seconds.toFixed(3)} s)`);
  return seconds;
}

const peerProcess = await startPeer(python, [join(here, 'train-mlp.py')]);
const peer = async () => {
  const r = await peerProcess.request({ steps, batch, threads, lr: hyper.lr, momentum: hyper.momentum, weight_decay: hyper.weightDecay });
  console.error(`#   peer CPU time ${r.cpu_seconds.toFixed(3)} s (wall ${r.seconds.toFixed(3)} s)`);
  return r.seconds;
};
console.error(`# ${backend.device}; ${trainer.stepsPerRun} steps per run; peer torch ${peerProcess.ready.torch}; ${steps} steps of batch ${batch}`);
try {
  await compare({ name: `train-mlp-784-512x3-10 b${batch} ${steps} steps`, project, peer, repetitions: reps });
} finally {
  peerProcess.close();
  trainer.dispose();
}
