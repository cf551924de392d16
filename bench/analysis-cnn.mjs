#!/usr/bin/env node
// Benchmark: the full collapse analysis (every metric of every layer: spectra, collapse of each layer input and
// backward signal, the certificate of the dense layers) of a CNN (conv16-pool-conv32-pool-dense128-dense10, ReLU)
// on 10 000 MNIST training images with ONNX Runtime (2 threads), against the PyTorch script computing the same
// quantities (bench/analysis-cnn-peer.py, all in memory, 2 threads), alternating, median. Target ratio ≤ 1.0.
// Prints {"name","project_s","peer_s","ratio"}.
//
//   node bench/analysis-cnn.mjs [--reps 3] [--threads 2] [--python /usr/bin/python3]
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
const { buildCnn } = await tsImport('../packages/models/src/index.ts', import.meta.url);
const { loadDataset, balancedSubset } = await tsImport('../packages/datasets/src/index.ts', import.meta.url);
const { analyze } = await tsImport('../packages/analysis/src/index.ts', import.meta.url);

const backend = onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads });
const model = buildCnn({ inputShape: [1, 28, 28], numClasses: 10, blocks: [{ channels: [16], pool: 'max' }, { channels: [32], pool: 'max' }], hidden: [128] });
const data = balancedSubset(loadDataset({ name: 'mnist' }).train, { perClass: 1000, seed: 0 });
const params = model.initialParams(1);

const peer = await startPeer(python, [join(here, 'analysis-cnn-peer.py'), String(threads)], {
  env: { ...process.env, OMP_NUM_THREADS: String(threads) },
});
console.error(`# peer: torch ${peer.ready.ready}, ${peer.ready.threads} threads; project: ${backend.device}`);

let last = null;
await compare({
  name: 'analysis-cnn-mnist-10k',
  repetitions: reps,
  project: async () => {
    const phases = [];
    let t = performance.now();
    const result = await analyze({
      backend, graph: model.graph, params, data, weightDecay: 5e-4, batchSize: 1000,
      onProgress: (p) => { if (p.done === p.total) { phases.push(`pass ${p.pass} ${((performance.now() - t) / 1000).toFixed(2)} s`); t = performance.now(); } },
    });
    last = `${phases.join(', ')}, spectra and certificate ${((performance.now() - t) / 1000).toFixed(2)} s`;
    return result.seconds;
  },
  peer: async () => (await peer.request({ seed: 1 })).seconds,
});
console.error(`# project phases (last run): ${last}`);
peer.close();
