import { readFileSync } from 'node:fs';
import { float32, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import type { Dataset } from '@rank-collapse/datasets';
import { buildMlp } from '@rank-collapse/models';
import { describe, expect, it } from 'vitest';
import { train } from './train.js';

/** Produced by scripts/make-torch-sgd-fixture.py (torch.optim.SGD, float64). */
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/torch-sgd.json', import.meta.url), 'utf8')) as {
  x: number[][];
  labels: number[];
  init: Record<string, number[] | number[][]>;
  lr: number;
  momentum: number;
  weightDecay: number;
  steps: number;
  losses: number[];
  params: Record<string, number[]>;
  velocities: Record<string, number[]>;
};

describe('train matches torch.optim.SGD(momentum, weight_decay on weights)', () => {
  it('gives torch’s params, momentum buffers and losses after three full-batch steps', async () => {
    const model = buildMlp({ inputShape: [3], numClasses: 2, hidden: [2] });
    const dataset: Dataset = { name: 'fixture', numClasses: 2, sampleShape: [3], size: 4, x: Float32Array.from(fixture.x.flat()), y: Int32Array.from(fixture.labels) };
    const initialParams = new Map<string, HostTensor>(model.graph.params.map((p) => [p.name, float32(p.shape as number[], fixture.init[p.name].flat())]));
    const losses: number[] = [];
    const result = await train({
      backend: createReferenceBackend(),
      model,
      data: { train: dataset, test: dataset },
      initialParams,
      options: { epochs: fixture.steps, batchSize: 4, lr: fixture.lr, momentum: fixture.momentum, weightDecay: fixture.weightDecay, seed: 5 },
      onEpoch: (r) => void losses.push(r.trainLoss),
    });
    expect(result.status).toBe('done');
    const tolerance = { atol: 1e-12, rtol: 1e-10 };
    expectClose(losses, fixture.losses, tolerance, 'loss per step');
    for (const name of Object.keys(fixture.params)) {
      expectClose(result.params.get(name)!.data as Float64Array, fixture.params[name], tolerance, `${name} after ${fixture.steps} steps`);
      expectClose(result.checkpoint!.velocities.get(name)!.data as Float64Array, fixture.velocities[name], tolerance, `momentum buffer of ${name}`);
    }
  });
});
