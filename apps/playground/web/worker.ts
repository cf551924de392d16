/**
 * The Web Worker of one run: activates the chosen TensorFlow.js backend, loads the data (the shipped MNIST
 * subset or a seeded Gaussian mixture), trains with runSession and posts every snapshot to the page.
 */
import { createTfjsBackend } from '@rank-collapse/backend-tfjs/core';
import { generateGaussianMixtureSplits, type DatasetSplits } from '@rank-collapse/datasets/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { decodeMnistAsset } from './mnist-asset.js';
import type { BackendKind, DatasetKind, RunConfig } from './run-config.js';
import { runSession } from './training-session.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent<ToWorker>) => void) | null; location: Location };
const post = (message: FromWorker): void => scope.postMessage(message);
// The .wasm files are copied beside the worker at build time: no CDN, works from any folder of any static host.
setWasmPaths(new URL('./tfjs/', scope.location.href).href);
// Threaded wasm needs cross-origin isolation, which a plain static host does not give; two runs already use two cores.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/** The Gaussian mixture of the playground: K = 10 classes in D = 64, 200 train and 50 test samples per class. */
export const GAUSSIAN_MIXTURE = { numClasses: 10, dimension: 64, perClass: 200, testPerClass: 50, separation: 4, noise: 1 } as const;

async function loadData(kind: DatasetKind, seed: number): Promise<DatasetSplits> {
  if (kind === 'gaussian-mixture') return generateGaussianMixtureSplits({ ...GAUSSIAN_MIXTURE, seed: `playground/${seed}` });
  const response = await fetch(new URL('./data/mnist-subset.bin', scope.location.href));
  if (!response.ok) throw new Error(`the MNIST subset did not load: HTTP ${response.status}`);
  return decodeMnistAsset(new Uint8Array(await response.arrayBuffer()));
}

async function activate(kind: BackendKind): Promise<void> {
  if (!(await tf.setBackend(kind))) throw new Error(`TensorFlow.js could not start its ${kind} backend in this browser`);
  await tf.ready();
  if (kind === 'cpu') (tf.backend() as { firstUse?: boolean }).firstUse = false; // its banner recommends tfjs-node
}

let controller: AbortController | null = null;

async function start(config: RunConfig): Promise<void> {
  controller = new AbortController();
  await activate(config.backend);
  const backend = createTfjsBackend({ tf: tf as unknown as Parameters<typeof createTfjsBackend>[0]['tf'] });
  post({ type: 'ready', backend: config.backend, device: backend.device });
  const data = await loadData(config.dataset, config.seed);
  const result = await runSession({ backend, data, config, signal: controller.signal, onSnapshot: (snapshot) => post({ type: 'snapshot', snapshot }) });
  const finalParams = Object.fromEntries([...result.params].map(([name, t]) => [name, Array.from(t.data as Float32Array)]));
  post({ type: 'done', status: result.status, steps: result.steps, finalParams });
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'stop') controller?.abort();
  else if (message.type === 'start') start(message.config).catch((error: unknown) => post({ type: 'error', message: String((error as Error)?.message ?? error) }));
};
