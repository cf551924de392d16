#!/usr/bin/env node
// Benchmark: the full collapse analysis (every metric, every layer, certificate) of the MLP 784-512-512-512-10
// on 60k MNIST training samples with ONNX Runtime (2 threads), against the PyTorch script a researcher would
// write for the same quantities (bench/analysis-mlp-peer.py, all in memory, 2 threads), alternating, median.
// Target (issue 6): ≤ 15 s. Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/analysis-mlp.mjs [--reps 3] [--threads 2] [--python /usr/bin/python3]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
const threads = Number(option('--threads', '2'));
const python = option('--python', '/usr/bin/python3');

const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
const { buildMlp } = await tsImport('../packages/models/src/index.ts', import.meta.url);
const { loadDataset } = await tsImport('../packages/datasets/src/index.ts', import.meta.url);
const { analyze } = await tsImport('../packages/analysis/src/index.ts', import.meta.url);

const backend = onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads });
const model = buildMlp({ inputShape: [784], hidden: [512, 512, 512], numClasses: 10 });
const { train } = loadDataset({ name: 'mnist' });
const params = model.initialParams(1);

const peer = await startPeer(python, [join(here, 'analysis-mlp-peer.py'), String(threads)], {
  env: { ...process.env, OMP_NUM_THREADS: String(threads) },
});
console.error(`# peer: torch ${peer.ready.ready}, ${peer.ready.threads} threads; project: ${backend.device}`);

await compare({
  name: 'analysis-mlp-mnist-60k',
  repetitions: reps,
  project: async () => {
    const result = await analyze({ backend, graph: model.graph, params, data: train, weightDecay: 5e-4, batchSize: 2000 });
    return result.seconds;
  },
  peer: async () => (await peer.request({ seed: 1 })).seconds,
});
peer.close();
