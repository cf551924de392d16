#!/usr/bin/env node
// Benchmark: one SGD epoch of the MLP 784-512-512-512-10 (ReLU, batch 128, 469 steps, momentum 0.9, weight
// decay on weights) as ONE train-step graph (forward, autodiff backward, update) run op by op by the
// TensorFlow.js backend (wasm with SIMD, single thread, unless --flavor says otherwise), against PyTorch
// (Debian python3-torch + OpenBLAS, --threads threads) on the same network, batch, step count and random
// MNIST-size data, alternating, median of --reps. Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/train-mlp-tfjs.mjs [--reps 3] [--steps 469] [--batch 128] [--threads 2] [--flavor wasm] [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';
import { initialParams, randomData, trainStepGraph } from './lib/mlp-graphs.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
const steps = Number(option('--steps', '469'));
const batch = Number(option('--batch', '128'));
const threads = Number(option('--threads', '2'));
const flavor = option('--flavor', 'wasm');
const python = option('--python', '/usr/bin/python3');
const hyper = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 };

const contract = await tsImport('../packages/backend/src/index.ts', import.meta.url);
const tfjs = await tsImport('../packages/backend-tfjs/src/index.ts', import.meta.url);
const loaded = await tfjs.loadTfjs({ prefer: [flavor] });
const backend = tfjs.createTfjsBackend({ tf: loaded.tf });

const { graph, next } = trainStepGraph(contract, hyper);
const executable = await backend.compile(graph);
const data = randomData(steps * batch);
const [nIn, nOut] = [graph.inputs[0].shape[1], graph.inputs[1].shape[1]];
const keep = Object.values(next);

async function project() {
  const params = initialParams();
  let state = {};
  for (const p of graph.params) state[p.name] = backend.upload(params[p.name] ?? { dtype: 'float32', shape: p.shape, data: new Float32Array(p.shape.reduce((a, d) => a * d, 1)) });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let s = 0; s < steps; s++) {
    const x = { dtype: 'float32', shape: [batch, nIn], data: data.x.subarray(s * batch * nIn, (s + 1) * batch * nIn) };
    const y = { dtype: 'float32', shape: [batch, nOut], data: data.y.subarray(s * batch * nOut, (s + 1) * batch * nOut) };
    const out = await executable.run({ x, y, ...state }, { fetch: keep, keepResident: keep });
    for (const r of Object.values(state)) backend.dispose(r);
    const updated = {};
    for (const [param, output] of Object.entries(next)) updated[param] = out[output];
    state = updated;
  }
  const seconds = (performance.now() - t0) / 1000;
  // CPU time of this single-threaded process: close to the wall time an unloaded machine would show.
  const cpu = process.cpuUsage(cpu0);
  console.error(`# tfjs ${flavor}: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
  for (const r of Object.values(state)) backend.dispose(r);
  return seconds;
}

const peerProcess = await startPeer(python, [join(here, 'train-mlp.py')]);
const peer = async () => (await peerProcess.request({ steps, batch, threads, lr: hyper.lr, momentum: hyper.momentum, weight_decay: hyper.weightDecay })).seconds;
console.error(`# ${backend.device}; ${loaded.description}; peer torch ${peerProcess.ready.torch} (${threads} threads); ${steps} steps of batch ${batch}`);
try {
  await compare({ name: `train-mlp-tfjs-${flavor} 784-512x3-10 b${batch} ${steps} steps`, project, peer, repetitions: reps, warmup: 0 });
} finally {
  peerProcess.close();
  executable.dispose();
}
