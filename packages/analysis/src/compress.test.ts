import { describe, expect, it } from 'vitest';
import { float32, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import { generateGaussianMixture } from '@rank-collapse/datasets';
import { createMatrix, truncatedSvd } from '@rank-collapse/metrics';
import { buildCnn, buildMlp } from '@rank-collapse/models';
import { compress } from './compress.js';
import { evaluateAccuracy } from './evaluate.js';

async function logits(graph: Parameters<typeof compress>[0]['graph'], params: ReadonlyMap<string, HostTensor>, x: HostTensor): Promise<HostTensor> {
  const backend = createReferenceBackend();
  const exe = await backend.compile(graph);
  const out = await exe.run({ [graph.inputs[0].name]: x, ...Object.fromEntries(params) });
  return out[graph.outputs[0]] as HostTensor;
}

describe('compress', () => {
  const model = buildMlp({ inputShape: [12], hidden: [10, 9], numClasses: 4 });
  const params = model.initialParams(11);
  const data = generateGaussianMixture({ numClasses: 4, dimension: 12, perClass: 6, separation: 3, noise: 1, seed: 5 }).dataset;
  const x = float32([data.size, 12], data.x);

  it('reproduces the model exactly at full rank', async () => {
    const full = compress({ graph: model.graph, params, choice: { rank: 100 }, onlyWhenSmaller: false });
    expect(full.layers.every((l) => l.rank === Math.min(l.rows, l.cols))).toBe(true);
    const a = await logits(model.graph, params, x);
    const b = await logits(full.graph, full.params, x);
    expectClose(b.data, a.data, { atol: 1e-5, rtol: 1e-5 }, 'full-rank logits');
  });

  it('equals the model with W replaced by its rank-r truncation, and counts the weights', async () => {
    const r = 2;
    const result = compress({ graph: model.graph, params, choice: { dense1: { rank: r } } });
    const layer = result.layers.find((l) => l.layer === 'dense1')!;
    expect(layer.rank).toBe(r);
    expect(layer.weightsBefore).toBe(10 * 12);
    expect(layer.weightsAfter).toBe(r * (10 + 12));
    expect(result.paramsBefore - result.paramsAfter).toBe(10 * 12 - r * 22);
    // Independent construction: the dense rank-r matrix, in the original graph.
    const W = params.get('dense1.weight')!;
    const { left, right } = truncatedSvd(createMatrix(10, 12, W.data as Float32Array), r);
    const Wr = new Float32Array(120);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 12; j++) for (let k = 0; k < r; k++) Wr[i * 12 + j] += left.data[i * r + k] * right.data[k * 12 + j];
    const truncated = new Map(params);
    truncated.set('dense1.weight', float32([10, 12], Wr));
    const expected = await logits(model.graph, truncated, x);
    const got = await logits(result.graph, result.params, x);
    expectClose(got.data, expected.data, { atol: 1e-5, rtol: 1e-5 }, 'rank-2 logits');
    expect(result.layers.find((l) => l.layer === 'dense2')!.rank).toBeNull();
    // evaluateAccuracy (batched, on the backend) against argmax of the logits computed above.
    const accuracy = await evaluateAccuracy({ backend: createReferenceBackend(), graph: result.graph, params: result.params, data, batchSize: 5 });
    let correct = 0;
    for (let i = 0; i < data.size; i++) {
      let best = 0;
      for (let k = 1; k < 4; k++) if (Number(got.data[i * 4 + k]) > Number(got.data[i * 4 + best])) best = k;
      if (best === data.y[i]) correct++;
    }
    expect(accuracy).toBe(correct / data.size);
  });

  it('keeps a layer dense when factoring would not save weights', () => {
    const result = compress({ graph: model.graph, params, choice: { rank: 9 } });
    expect(result.layers.every((l) => l.rank === null && /would not save/.test(l.note ?? ''))).toBe(true);
  });

  it('factorizes a convolution into an r-filter conv and a 1×1 conv', async () => {
    const cnn = buildCnn({ inputShape: [2, 6, 6], blocks: [{ channels: [5] }], hidden: [], numClasses: 3 });
    const cnnParams = cnn.initialParams(2);
    const conv = cnn.layers.find((l) => l.kind === 'conv')!;
    const full = compress({ graph: cnn.graph, params: cnnParams, choice: { [conv.name]: { rank: 5 } }, onlyWhenSmaller: false });
    expect(full.graph.nodes.filter((n) => n.op === 'Conv')).toHaveLength(2);
    const input = float32([2, 2, 6, 6], Array.from({ length: 144 }, (_, i) => Math.sin(i)));
    expectClose((await logits(full.graph, full.params, input)).data, (await logits(cnn.graph, cnnParams, input)).data, { atol: 1e-5, rtol: 1e-5 }, 'conv full rank');
  });
});
