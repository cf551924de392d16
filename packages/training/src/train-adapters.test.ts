/**
 * The training loop on every adapter that exists (ONNX Runtime, TensorFlow.js cpu): same seed → bit-identical
 * params, resume → the uninterrupted result, and agreement with the float64 reference backend.
 */
import type { Backend, HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import { createOnnxBackend, loadOrt } from '@rank-collapse/backend-onnx';
import { createTfjsBackend, loadTfjs } from '@rank-collapse/backend-tfjs';
import { generateGaussianMixtureSplits } from '@rank-collapse/datasets';
import { buildCnn, buildMlp } from '@rank-collapse/models';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.js';
import { train } from './train.js';
import type { TrainOptionsInput } from './train-options.js';

const data = generateGaussianMixtureSplits({ numClasses: 3, dimension: 8, perClass: 20, testPerClass: 10, separation: 6, seed: 'adapters' });
const mlp = buildMlp({ inputShape: [8], numClasses: 3, hidden: [16] });
const options: TrainOptionsInput = { epochs: 3, batchSize: 16, lr: 0.05, weightDecay: 1e-3, seed: 3, checkpointEvery: 1 };

const adapters: [string, () => Promise<Backend>][] = [
  ['onnx', async () => createOnnxBackend({ ort: await loadOrt(), intraOpThreads: 2 })],
  ['tfjs-cpu', async () => createTfjsBackend({ tf: (await loadTfjs({ prefer: ['cpu'] })).tf })],
];

const bits = (params: ReadonlyMap<string, HostTensor>) => [...params].map(([k, t]) => [k, Array.from(t.data as Float32Array)]);

describe.each(adapters)('train on %s', (_label, create) => {
  it('is bit-identical for the same seed, resumes exactly, and matches the float64 reference', async () => {
    const backend = await create();
    try {
      const checkpoints: Checkpoint[] = [];
      const a = await train({ backend, model: mlp, data, options, onCheckpoint: (c) => void checkpoints.push(c) });
      const b = await train({ backend, model: mlp, data, options });
      expect(a.status).toBe('done');
      expect(bits(b.params)).toEqual(bits(a.params));
      // One step per run and the default (16 per run: all 3 steps of an epoch here) give the same bits.
      const single = await train({ backend, model: mlp, data, options, stepsPerRun: 1 });
      expect(bits(single.params)).toEqual(bits(a.params));
      const resume = decodeCheckpoint(encodeCheckpoint(checkpoints[0]));
      const resumed = await train({ backend, model: mlp, data, options, resume });
      expect(bits(resumed.params)).toEqual(bits(a.params));
      const reference = await train({ backend: createReferenceBackend(), model: mlp, data, options });
      for (const [name, t] of reference.params) expectClose(a.params.get(name)!, t, { atol: 1e-4, rtol: 1e-3 }, `${name} after 3 epochs vs the reference`);
      // Float32 round-off may flip at most a borderline sample of the 30.
      expect(Math.abs(a.epochs[2].testAccuracy - reference.epochs[2].testAccuracy)).toBeLessThanOrEqual(1 / 30 + 1e-12);
    } finally {
      await backend.close?.();
    }
  });

  it('trains a batch-norm CNN like the reference', async () => {
    const backend = await create();
    try {
      const images = generateGaussianMixtureSplits({ numClasses: 2, dimension: 36, perClass: 8, seed: 'cnn' });
      const toImages = (d: typeof images.train) => ({ ...d, sampleShape: [1, 6, 6] });
      const cnn = buildCnn({ inputShape: [1, 6, 6], numClasses: 2, blocks: [{ channels: [2] }], batchNorm: true });
      const run = (on: Backend) => train({ backend: on, model: cnn, data: { train: toImages(images.train), test: toImages(images.test) }, options: { epochs: 2, batchSize: 8, lr: 0.05, seed: 1 } });
      const [got, want] = [await run(backend), await run(createReferenceBackend())];
      for (const [name, t] of want.params) expectClose(got.params.get(name)!, t, { atol: 1e-4, rtol: 1e-3 }, `${name} vs the reference`);
    } finally {
      await backend.close?.();
    }
  });
});
