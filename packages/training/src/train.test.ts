import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import { generateGaussianMixtureSplits } from '@rank-collapse/datasets';
import { buildCnn, buildMlp } from '@rank-collapse/models';
import { afterAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
import { train } from './train.js';
import type { TrainOptionsInput } from './train-options.js';

const data = generateGaussianMixtureSplits({ numClasses: 3, dimension: 8, perClass: 20, testPerClass: 10, separation: 6, seed: 'train-test' });
const model = buildMlp({ inputShape: [8], numClasses: 3, hidden: [16] });
const options: TrainOptionsInput = { epochs: 4, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-3, seed: 11, schedule: { kind: 'cosine' } };

const sameBits = (a: ReadonlyMap<string, HostTensor>, b: ReadonlyMap<string, HostTensor>): void => {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [name, t] of a) expect(b.get(name)!.data, name).toEqual(t.data);
};
const withoutTime = (records: readonly { seconds: number }[]) => records.map(({ seconds: _, ...rest }) => rest);

describe('train', () => {
  const dir = mkdtemp(join(tmpdir(), 'rc-train-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('learns, records every epoch and is bit-identical for the same seed', async () => {
    const a = await train({ backend: createReferenceBackend(), model, data, options });
    const b = await train({ backend: createReferenceBackend(), model, data, options });
    expect(a.status).toBe('done');
    expect(a.epochs.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(a.epochs.map((r) => r.steps)).toEqual([3, 6, 9, 12]); // 60 samples / 16: the partial batch is dropped
    expect(a.epochs[3].trainLoss).toBeLessThan(a.epochs[0].trainLoss);
    expect(a.epochs[3].testAccuracy).toBeGreaterThan(0.8);
    expectClose(a.epochs[3].lr, 0.05 * (1 + Math.cos(Math.PI * 11 / 12)) / 2, { atol: 0, rtol: 1e-12 }, 'lr of the last step');
    const w = a.params.get('dense1.weight')!.data as Float64Array;
    expectClose(a.epochs[3].weightNorms['dense1.weight'], Math.hypot(...w), { atol: 0, rtol: 1e-12 }, 'norm of dense1.weight');
    expectClose(a.epochs[3].penalty, (1e-3 / 2) * (a.epochs[3].weightNorms['dense1.weight'] ** 2 + a.epochs[3].weightNorms['dense2.weight'] ** 2), { atol: 0, rtol: 1e-12 }, 'penalty');
    sameBits(a.params, b.params);
    expect(withoutTime(a.epochs)).toEqual(withoutTime(b.epochs));
    const c = await train({ backend: createReferenceBackend(), model, data, options: { ...options, seed: 12 } });
    expect(c.params.get('dense1.weight')!.data).not.toEqual(a.params.get('dense1.weight')!.data);
  });

  it('resumes from a checkpoint (in memory and through a file) to exactly the uninterrupted result', async () => {
    const checkpoints: Checkpoint[] = [];
    const full = await train({ backend: createReferenceBackend(), model, data, options: { ...options, checkpointEvery: 2 }, onCheckpoint: (c) => void checkpoints.push(c) });
    expect(checkpoints.map((c) => c.epoch)).toEqual([2, 4]);
    expect(full.checkpoint).toBe(checkpoints[1]);
    const path = join(await dir, 'epoch2.ckpt');
    await saveCheckpoint(path, checkpoints[0]);
    for (const resume of [checkpoints[0], await loadCheckpoint(path)]) {
      const resumed = await train({ backend: createReferenceBackend(), model, data, options: { ...options, checkpointEvery: 2 }, resume });
      expect(resumed.status).toBe('done');
      sameBits(full.params, resumed.params);
      sameBits(full.checkpoint!.velocities, resumed.checkpoint!.velocities);
      expect(withoutTime(resumed.epochs)).toEqual(withoutTime(full.epochs));
    }
    await expect(train({ backend: createReferenceBackend(), model, data, options: { ...options, seed: 99 }, resume: checkpoints[0] })).rejects.toThrow(/seed 11, options have seed 99/);
    const other = buildMlp({ inputShape: [8], numClasses: 3, hidden: [8] });
    await expect(train({ backend: createReferenceBackend(), model: other, data, options, resume: checkpoints[0] })).rejects.toThrow(/checkpoint param "dense1.weight" has shape \[16, 8\], expected \[8, 8\]/);
  });

  it('gives the same bits whatever the steps per backend run, batch-norm running stats included', async () => {
    const a = await train({ backend: createReferenceBackend(), model, data, options, stepsPerRun: 1 });
    for (const stepsPerRun of [2, 8]) {
      const b = await train({ backend: createReferenceBackend(), model, data, options, stepsPerRun });
      sameBits(a.params, b.params);
      expect(withoutTime(b.epochs)).toEqual(withoutTime(a.epochs));
    }
    const cnn = buildCnn({ inputShape: [1, 4, 4], numClasses: 2, blocks: [{ channels: [2] }], batchNorm: true });
    const images = generateGaussianMixtureSplits({ numClasses: 2, dimension: 16, perClass: 12, seed: 'unrolled-bn' });
    const imageData = { train: { ...images.train, sampleShape: [1, 4, 4] }, test: { ...images.test, sampleShape: [1, 4, 4] } };
    const run = (stepsPerRun: number) => train({ backend: createReferenceBackend(), model: cnn, data: imageData, options: { epochs: 2, batchSize: 4, lr: 0.05, seed: 2 }, stepsPerRun });
    const [one, three] = [await run(1), await run(3)];
    sameBits(one.params, three.params);
    await expect(train({ backend: createReferenceBackend(), model, data, options, stepsPerRun: 0 })).rejects.toThrow(/stepsPerRun must be a positive integer, got 0/);
  });

  it('ends with status diverged (not an exception) when the loss blows up', async () => {
    const records: number[] = [];
    const blowUp: TrainOptionsInput = { ...options, loss: 'mse', lr: 1e3, schedule: { kind: 'constant' } };
    const result = await train({ backend: createReferenceBackend(), model, data, options: blowUp, onEpoch: (r) => void records.push(r.epoch) });
    expect(result.status).toBe('diverged');
    // Steps run in groups, yet the step reported is the first non-finite one, as with one step per run.
    const single = await train({ backend: createReferenceBackend(), model, data, options: blowUp, stepsPerRun: 1 });
    expect(result.diverged).toEqual(single.diverged);
    expect(result.diverged?.epoch).toBeGreaterThanOrEqual(1);
    expect(result.diverged?.reason).toMatch(/loss is (NaN|Infinity)|non-finite/);
    expect(result.epochs.length).toBe(result.diverged!.epoch - 1);
    expect(records).toEqual(result.epochs.map((r) => r.epoch));
  });

  it('stops with status aborted when the signal fires', async () => {
    const controller = new AbortController();
    const result = await train({ backend: createReferenceBackend(), model, data, options, signal: controller.signal, onEpoch: () => controller.abort() });
    expect(result.status).toBe('aborted');
    expect(result.epochs).toHaveLength(1);
  });

  it('releases every resident tensor, and rejects data that does not fit the model', async () => {
    const backend = createReferenceBackend();
    await train({ backend, model, data, options: { ...options, epochs: 1 } });
    expect(backend.liveResidentCount).toBe(0);
    await expect(train({ backend, model: buildMlp({ inputShape: [8], numClasses: 4, hidden: [] }), data, options })).rejects.toThrow(/3 classes, the model 4/);
    await expect(train({ backend, model, data, options: { ...options, batchSize: 100 } })).rejects.toThrow(/exceeds the 60 training samples/);
  });

  it('trains a batch-norm CNN: running stats move, inference uses them', async () => {
    const images = generateGaussianMixtureSplits({ numClasses: 2, dimension: 36, perClass: 8, seed: 'cnn' });
    const toImages = (d: typeof images.train) => ({ ...d, sampleShape: [1, 6, 6] });
    const cnn = buildCnn({ inputShape: [1, 6, 6], numClasses: 2, blocks: [{ channels: [2] }], batchNorm: true });
    const result = await train({ backend: createReferenceBackend(), model: cnn, data: { train: toImages(images.train), test: toImages(images.test) }, options: { epochs: 1, batchSize: 8, lr: 0.05, seed: 1 } });
    expect(result.status).toBe('done');
    const mean = result.params.get('conv1.norm.running_mean')!.data as Float64Array;
    const variance = result.params.get('conv1.norm.running_var')!.data as Float64Array;
    expect(Array.from(mean).some((v) => v !== 0)).toBe(true);
    expect(Array.from(variance).some((v) => v !== 1)).toBe(true);
    expect(Number.isFinite(result.epochs[0].testAccuracy)).toBe(true);
    expect(Object.keys(result.epochs[0].weightNorms)).not.toContain('conv1.norm.running_mean');
  });
});

describe('train on a residual network', () => {
  it('runs SGD through strided convs, shortcuts, batch norm and global pooling', async () => {
    const { buildResnet } = await import('@rank-collapse/models');
    const images = generateGaussianMixtureSplits({ numClasses: 2, dimension: 2 * 4 * 4, perClass: 6, separation: 4, seed: 'resnet' });
    const toImages = (d: typeof images.train) => ({ ...d, sampleShape: [2, 4, 4] });
    const resnet = buildResnet({ inputShape: [2, 4, 4], numClasses: 2, stem: 2, stages: [{ channels: 2 }, { channels: 3, stride: 2 }] });
    const result = await train({ backend: createReferenceBackend(), model: resnet, data: { train: toImages(images.train), test: toImages(images.test) }, options: { epochs: 3, batchSize: 6, lr: 0.05, seed: 2, weightDecay: 1e-3 } });
    expect(result.status).toBe('done');
    expect(result.epochs[2].trainLoss).toBeLessThan(result.epochs[0].trainLoss);
    expect(Object.keys(result.epochs[0].weightNorms)).toContain('stage2.block1.shortcut.weight');
  });
});
