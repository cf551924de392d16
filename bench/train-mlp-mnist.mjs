#!/usr/bin/env node
// Trains the MLP 784-512-512-512-10 (ReLU, He init) on MNIST with SGD (momentum 0.9, weight decay λ on the
// weights), batch 128, through @rank-collapse/training on the ONNX Runtime backend (2 threads), and prints one
// JSON line per epoch plus a summary line. From source, through tsx.
//
//   node bench/train-mlp-mnist.mjs                          # full MNIST, 20 epochs (the done-when run)
//   node bench/train-mlp-mnist.mjs --per-class 500 --epochs 5   # balanced 5k subset, 5 epochs (speed check)
//
// Options: --epochs 20  --per-class 0 (0 = full training set)  --lr 0.05  --schedule cosine|constant
//          --weight-decay 5e-4  --momentum 0.9  --batch 128  --seed 0  --threads 2  --backend onnx|reference
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { tsImport } from 'tsx/esm/api';

// Workspace packages resolve to their TypeScript sources through the `source` export condition.
if (!process.execArgv.some((a) => a.includes('conditions=source'))) {
  const run = spawnSync(process.execPath, ['--conditions=source', ...process.execArgv, process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const epochs = Number(option('--epochs', '20'));
const perClass = Number(option('--per-class', '0'));
const lr = Number(option('--lr', '0.05'));
const schedule = option('--schedule', 'cosine');
const weightDecay = Number(option('--weight-decay', '5e-4'));
const momentum = Number(option('--momentum', '0.9'));
const batchSize = Number(option('--batch', '128'));
const seed = Number(option('--seed', '0'));
const threads = Number(option('--threads', '2'));
const backendName = option('--backend', 'onnx');

const started = performance.now();
const datasets = await tsImport('../packages/datasets/src/index.ts', import.meta.url);
const models = await tsImport('../packages/models/src/index.ts', import.meta.url);
const training = await tsImport('../packages/training/src/index.ts', import.meta.url);

let backend;
if (backendName === 'onnx') {
  const onnx = await tsImport('../packages/backend-onnx/src/index.ts', import.meta.url);
  backend = onnx.createOnnxBackend({ ort: await onnx.loadOrt(), intraOpThreads: threads });
} else {
  const testing = await tsImport('../packages/backend/src/testing/index.ts', import.meta.url);
  backend = testing.createReferenceBackend();
}

const mnist = datasets.loadMnist({ layout: 'flat' });
const trainSet = perClass > 0 ? datasets.balancedSubset(mnist.train, { perClass, seed }) : mnist.train;
const model = models.buildMlp({ inputShape: [784], numClasses: 10, hidden: [512, 512, 512] });
const options = { epochs, batchSize, lr, schedule: { kind: schedule }, momentum, weightDecay, seed };
console.error(`# ${backend.device}; train ${trainSet.size}, test ${mnist.test.size}; ${JSON.stringify(options)}`);

const trainStarted = performance.now();
const result = await training.train({
  backend,
  model,
  data: { train: trainSet, test: mnist.test },
  options,
  onEpoch: (r) =>
    console.log(
      JSON.stringify({ epoch: r.epoch, trainLoss: +r.trainLoss.toFixed(5), trainAccuracy: +r.trainAccuracy.toFixed(4), testAccuracy: +r.testAccuracy.toFixed(4), lr: +r.lr.toFixed(5), seconds: +r.seconds.toFixed(2) }),
    ),
});
const trainSeconds = (performance.now() - trainStarted) / 1000;
const best = Math.max(...result.epochs.map((r) => r.testAccuracy));
console.log(
  JSON.stringify({
    name: `mlp-784-512x3-10 mnist ${perClass > 0 ? `${perClass * 10} subset` : 'full'}`,
    backend: backend.device,
    status: result.status,
    epochs: result.epochs.length,
    finalTestAccuracy: result.epochs.at(-1)?.testAccuracy,
    bestTestAccuracy: best,
    trainSeconds: +trainSeconds.toFixed(2),
    totalSeconds: +((performance.now() - started) / 1000).toFixed(2),
    // Other jobs on the machine slow every timing: the 1-minute load average at the end (2 cores here).
    loadAverage: +loadavg()[0].toFixed(1),
  }),
);
await backend.close?.();
