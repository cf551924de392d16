#!/usr/bin/env node
// Benchmark: probe throughput of the MLP 784-512-512-512-10 — forward passes whose outputs are every layer's
// input h_{l-1} and pre-activation z_l (the taps of the collapse analysis), downloaded to the host — on
// onnxruntime-node (2 threads) against PyTorch doing the same, on random MNIST-size data, alternating, median.
// Prints {"name","project_s","peer_s","ratio"}; samples per second go to stderr (target ≥ 100k/s).
//
//   node bench/probe-mlp.mjs [--reps 5] [--samples 60000] [--batch 1000] [--threads 2] [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';
import { initialParams, probeGraph, randomData } from './lib/mlp-graphs.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '5'));
const samples = Number(option('--samples', '60000'));
const batch = Number(option('--batch', '1000'));
const threads = Number(option('--threads', '2'));
const python = option('--python', '/usr/bin/python3');

const contract = await tsImport('../packages/backend/src/index.ts', import.meta.url);
const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
const backend = onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads });
const { graph } = probeGraph(contract);
const executable = await backend.compile(graph);
const params = initialParams();
const resident = Object.fromEntries(graph.params.map((p) => [p.name, backend.upload(params[p.name])]));
const data = randomData(samples);

async function project() {
  const t0 = performance.now();
  let checksum = 0;
  for (let s = 0; s < samples; s += batch) {
    const n = Math.min(batch, samples - s);
    const x = { dtype: 'float32', shape: [n, 784], data: data.x.subarray(s * 784, (s + n) * 784) };
    const taps = await executable.run({ x, ...resident });
    checksum += taps.z4.data[0];
  }
  if (!Number.isFinite(checksum)) throw new Error('probe produced non-finite values');
  return (performance.now() - t0) / 1000;
}

const peerProcess = await startPeer(python, [join(here, 'probe-mlp.py')]);
const peer = async () => (await peerProcess.request({ samples, batch, threads })).seconds;
console.error(`# ${backend.device}; peer torch ${peerProcess.ready.torch}; ${samples} samples in batches of ${batch}`);
try {
  const result = await compare({ name: `probe-mlp-784-512x3-10 ${samples} samples b${batch}`, project, peer, repetitions: reps });
  console.error(`# project ${Math.round(samples / result.project_s)} samples/s, peer ${Math.round(samples / result.peer_s)} samples/s`);
} finally {
  peerProcess.close();
  executable.dispose();
}
