import { float32, type Graph, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import { describe, expect, it } from 'vitest';
import { buildCnn } from './build-cnn.js';
import { buildMlp } from './build-mlp.js';
import { buildResnet } from './build-resnet.js';
import { BATCH_NORM_MOMENTUM } from './layer-builder.js';

// float64 reference results against float64 host arithmetic: round-off only.
const EXACT = { atol: 1e-12, rtol: 1e-10 };
const feedsOf = (params: Map<string, HostTensor>, x: HostTensor): Record<string, HostTensor> => ({ ...Object.fromEntries(params), x });
const withOutputs = (graph: Graph, outputs: string[]): Graph => ({ ...graph, outputs: [...graph.outputs, ...outputs] });

describe('forward graphs on the reference backend', () => {
  it('MLP logits equal W2·tanh(W1·x + b1) + b2 computed on the host', async () => {
    const model = buildMlp({ inputShape: [2, 2], numClasses: 3, hidden: [5], activation: 'tanh' });
    const params = model.initialParams(4);
    for (const b of ['dense1.bias', 'dense2.bias']) (params.get(b)!.data as Float32Array).fill(0.25);
    const xs = [0.5, -1, 2, 0.25, -0.75, 1.5, 0, 1];
    const out = await runOnce(createReferenceBackend(), withOutputs(model.graph, ['dense1.h']), feedsOf(params, float32([2, 2, 2], xs)));
    const w1 = params.get('dense1.weight')!.data as Float32Array;
    const w2 = params.get('dense2.weight')!.data as Float32Array;
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) {
      const h = Array.from({ length: 5 }, (_, j) => Math.tanh(0.25 + [0, 1, 2, 3].reduce((s, k) => s + w1[j * 4 + k] * xs[i * 4 + k], 0)));
      for (let c = 0; c < 3; c++) expected.push(0.25 + h.reduce((s, v, j) => s + w2[c * 5 + j] * v, 0));
    }
    expectClose(out.logits, expected, { atol: 1e-12, rtol: 1e-12 }, 'MLP logits');
    expect(out['dense1.h'].shape).toEqual([2, 5]);
  });

  it('batch-norm training graph normalizes with batch statistics and updates the running stats', async () => {
    const model = buildCnn({ inputShape: [1, 4, 4], numClasses: 2, blocks: [{ channels: [3], pool: 'none' }], batchNorm: true });
    const params = model.initialParams(2);
    const n = 5;
    const x = float32([n, 1, 4, 4], Array.from({ length: n * 16 }, (_, i) => Math.sin(i * 1.7) * 2 + (i % 3)));
    const out = await runOnce(createReferenceBackend(), withOutputs(model.trainingGraph, ['conv1.z', 'conv1.norm.y']), feedsOf(params, x));
    const z = out['conv1.z'].data as Float64Array;
    const y = out['conv1.norm.y'].data as Float64Array;
    const m = 16 * n;
    for (let c = 0; c < 3; c++) {
      const values: number[] = [];
      const normalized: number[] = [];
      for (let i = 0; i < n; i++) for (let p = 0; p < 16; p++) {
        values.push(z[(i * 3 + c) * 16 + p]);
        normalized.push(y[(i * 3 + c) * 16 + p]);
      }
      const mean = values.reduce((a, b) => a + b, 0) / m;
      const biased = values.reduce((a, b) => a + (b - mean) ** 2, 0) / m;
      const updatedMean = (out['conv1.norm.running_mean.next'].data as Float64Array)[c];
      const updatedVar = (out['conv1.norm.running_var.next'].data as Float64Array)[c];
      // Running stats start at 0 and 1; the variance update uses the unbiased batch variance.
      expectClose(updatedMean, (1 - BATCH_NORM_MOMENTUM) * mean, EXACT, `running mean of channel ${c}`);
      expectClose(updatedVar, BATCH_NORM_MOMENTUM + (1 - BATCH_NORM_MOMENTUM) * biased * (m / (m - 1)), EXACT, `running variance of channel ${c}`);
      // scale 1, shift 0: the output has batch mean 0 and biased variance v/(v + ε).
      const outMean = normalized.reduce((a, b) => a + b, 0) / m;
      expectClose(outMean, 0, EXACT, `batch mean of the normalized channel ${c}`);
      expectClose(normalized.reduce((a, b) => a + (b - outMean) ** 2, 0) / m, biased / (biased + 1e-5), EXACT, `batch variance of the normalized channel ${c}`);
    }
  });

  it('runs CNN and ResNet forward passes with the symbolic batch', async () => {
    const backend = createReferenceBackend();
    const cnn = buildCnn({ inputShape: [1, 8, 8], numClasses: 4, blocks: [{ channels: [2] }, { channels: [3] }], hidden: [6] });
    const resnet = buildResnet({ inputShape: [2, 6, 6], numClasses: 3, stem: 2, stages: [{ channels: 2 }, { channels: 4, stride: 2 }] });
    for (const [model, batch] of [[cnn, 3], [resnet, 2]] as const) {
      const size = model.sampleShape.reduce((p, d) => p * d, 1);
      const x = float32([batch, ...model.sampleShape], Array.from({ length: batch * size }, (_, i) => Math.cos(i)));
      const out = await runOnce(backend, model.graph, feedsOf(model.initialParams(1), x));
      expect(out.logits.shape).toEqual([batch, model.numClasses]);
      expect(Array.from(out.logits.data as Float64Array).every(Number.isFinite)).toBe(true);
    }
  });
});
