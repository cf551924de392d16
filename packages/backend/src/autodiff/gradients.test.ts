import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors.js';
import { float32 } from '../host-tensor.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Graph, HostTensor } from '../ir/types.js';
import { createRng } from '../random.js';
import { checkGradientCase } from '../testing/conformance/gradients.js';
import { expectClose } from '../testing/expect-close.js';
import { createReferenceBackend } from '../testing/reference/reference-backend.js';
import { gradients } from './gradients.js';

const reference = createReferenceBackend();
const EXACT = { atol: 1e-12, rtol: 1e-10 };

async function run(graph: Graph, feeds: Record<string, HostTensor>, fetch: readonly string[]): Promise<Record<string, HostTensor>> {
  const exe = await reference.compile(graph);
  const out = await exe.run(feeds, { fetch });
  exe.dispose();
  return Object.fromEntries(await Promise.all(fetch.map(async (k) => [k, await reference.download(out[k])] as const)));
}

function randomTensor(seed: string, shape: readonly number[], scale = 1): HostTensor {
  const rng = createRng(seed);
  return float32(shape, Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => scale * rng.normal()));
}

describe('per-sample backward signals δ of an MLP', () => {
  // x [N, 6] → z1 = x W1ᵀ + b1 → ReLU → z2 = h1 W2ᵀ + b2; summed loss L = −Σ_i Σ_k y_ik log softmax(z2_i)_k.
  const g = new GraphBuilder('mlp');
  const x = g.input('x', 'float32', ['N', 6]);
  const y = g.input('y', 'float32', ['N', 3]);
  const z1 = g.gemm(x, g.param('W1', [5, 6], 'weight'), g.param('b1', [5], 'bias'), { transB: true }, { name: 'z1' });
  const z2 = g.gemm(g.relu(z1), g.param('W2', [3, 5], 'weight'), g.param('b2', [3], 'bias'), { transB: true }, { name: 'z2' });
  g.output(g.neg(g.reduceSum(g.mul(y, g.logSoftmax(z2)), undefined, false), { name: 'loss' }));
  g.output(z1);
  g.output(z2);
  const graph = g.build();
  const n = 7;
  const labels = [0, 2, 1, 1, 0, 2, 2];
  const feeds = {
    x: randomTensor('x', [n, 6]),
    y: float32([n, 3], labels.flatMap((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0)))),
    W1: randomTensor('W1', [5, 6], 0.5),
    b1: randomTensor('b1', [5], 0.1),
    W2: randomTensor('W2', [3, 5], 0.5),
    b2: randomTensor('b2', [3], 0.1),
  };

  it('equals softmax − onehot at the logits and the W-backpropagated, ReLU-masked signal below', async () => {
    const { graph: gg, gradients: names } = gradients(graph, { of: 'loss', wrt: ['z2', 'z1', 'W1'] });
    expect(names).toEqual({ z2: 'grad/z2', z1: 'grad/z1', W1: 'grad/W1' });
    expect(gg.values.get('grad/z1')?.shape).toEqual(['N', 5]);
    const out = await run(gg, feeds, ['z1', 'z2', 'grad/z2', 'grad/z1', 'grad/W1']);
    const [zz1, zz2] = [out.z1.data as Float64Array, out.z2.data as Float64Array];
    const [W2, xs] = [feeds.W2.data as Float64Array, feeds.x.data as Float64Array];
    const delta2 = new Float64Array(n * 3);
    const delta1 = new Float64Array(n * 5);
    const gradW1 = new Float64Array(5 * 6);
    for (let i = 0; i < n; i++) {
      const row = [0, 1, 2].map((k) => zz2[i * 3 + k]);
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const sum = e.reduce((p, v) => p + v, 0);
      for (let k = 0; k < 3; k++) delta2[i * 3 + k] = e[k] / sum - (labels[i] === k ? 1 : 0);
      for (let j = 0; j < 5; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += delta2[i * 3 + k] * W2[k * 5 + j];
        delta1[i * 5 + j] = zz1[i * 5 + j] > 0 ? s : 0;
        for (let m = 0; m < 6; m++) gradW1[j * 6 + m] += delta1[i * 5 + j] * xs[i * 6 + m];
      }
    }
    expectClose(out['grad/z2'], float32([n, 3], delta2), EXACT, 'δ at the logits');
    expectClose(out['grad/z1'], float32([n, 5], delta1), EXACT, 'δ at z1');
    expectClose(out['grad/W1'], float32([5, 6], gradW1), EXACT, 'gradient of W1 = Σ_i δ1_i x_iᵀ');
    expect(Array.from(delta1).some((d) => d === 0) && Array.from(delta1).some((d) => d !== 0)).toBe(true);
  });

  it('with a seed, gives the vector–Jacobian product of a non-scalar value', async () => {
    const b = GraphBuilder.from(graph);
    b.input('upstream', 'float32', ['N', 3]);
    const { graph: gg, gradients: names } = gradients(b.build(), { of: 'z2', wrt: ['W1', 'x'], seed: 'upstream' });
    // The same product through an explicit scalar: Σ z2 ⊙ upstream.
    const e = GraphBuilder.from(graph);
    e.output(e.reduceSum(e.mul(e.value('z2'), e.input('upstream', 'float32', ['N', 3])), undefined, false, { name: 'dot' }));
    const { graph: eg, gradients: enames } = gradients(e.build(), { of: 'dot', wrt: ['W1', 'x'] });
    const all = { ...feeds, upstream: randomTensor('upstream', [n, 3]) };
    const got = await run(gg, all, [names.W1, names.x]);
    const want = await run(eg, all, [enames.W1, enames.x]);
    expectClose(got[names.W1], want[enames.W1], EXACT, 'seeded gradient of W1');
    expectClose(got[names.x], want[enames.x], EXACT, 'seeded gradient of x');
  });
});

describe('gradients graph construction', () => {
  function tiny(): GraphBuilder {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', 'float32', ['N', 3]);
    const w = g.param('W', [2, 3], 'weight');
    g.param('unused', [4, 2], 'weight');
    const z = g.gemm(x, w, undefined, { transB: true }, { name: 'z' });
    g.output(g.reduceSum(g.mul(z, z), undefined, false, { name: 'loss' }));
    return g;
  }

  it('gives an unreachable param a Constant zero gradient and an unreachable symbolic input an Expand of zeros', async () => {
    const g = tiny();
    g.input('other', 'float32', ['N', 5]);
    const { graph, gradients: names } = gradients(g.build(), { of: 'loss', wrt: ['W', 'unused', 'other'] });
    expect(graph.nodes.find((n) => n.outputs.includes(names.unused))?.op).toBe('Constant');
    expect(graph.nodes.find((n) => n.outputs.includes(names.other))?.op).toBe('Expand');
    const out = await run(graph, { x: randomTensor('x', [4, 3]), W: randomTensor('W', [2, 3]), unused: randomTensor('u', [4, 2]), other: randomTensor('o', [4, 5]) }, [names.unused, names.other, names.W]);
    expectClose(out[names.unused], float32([4, 2]), { atol: 0, rtol: 0 }, 'zero gradient of the unused param');
    expectClose(out[names.other], float32([4, 5]), { atol: 0, rtol: 0 }, 'zero gradient of the unused input');
    expect(Array.from(out[names.W].data as Float64Array).some((v) => v !== 0)).toBe(true);
  });

  it('appends gradients to the outputs unless told not to, and keeps the original graph first', () => {
    const base = tiny().build();
    const appended = gradients(base, { of: 'loss', wrt: ['W', 'x'] });
    expect(appended.graph.outputs).toEqual(['loss', 'grad/W', 'grad/x']);
    expect(appended.graph.nodes.slice(0, base.nodes.length)).toEqual(base.nodes);
    expect(gradients(base, { of: 'loss', wrt: ['W'], outputs: false }).graph.outputs).toEqual(['loss']);
  });

  it('picks a fresh prefix when grad/ names are taken, so a second pass never collides', () => {
    const first = gradients(tiny().build(), { of: 'loss', wrt: ['W'] });
    const second = gradients(first.graph, { of: 'loss', wrt: ['W'] });
    expect(second.gradients.W).toBe('grad2/W');
    const names = second.graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('rejects a non-scalar value without a seed, unknown names and a mis-shaped seed', () => {
    const graph = tiny().build();
    expect(() => gradients(graph, { of: 'z', wrt: ['W'] })).toThrow(/"z" must be a scalar, got shape \[N, 2\]; pass a seed/);
    expect(() => gradients(graph, { of: 'loss', wrt: ['nope'] })).toThrow(/wrt "nope" is not a value/);
    expect(() => gradients(graph, { of: 'z', wrt: ['W'], seed: 'x' })).toThrow(/seed "x" .* must be float32 of the shape of "z"/);
  });

  it('names the node and says why for an overlapping MaxPool', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 1, 6, 6]);
    g.output(g.reduceSum(g.maxPool(x, { kernelShape: [3, 3], strides: [2, 2] }, { name: 'pool' }), undefined, false, { name: 'loss' }));
    const build = (): unknown => gradients(g.build(), { of: 'loss', wrt: ['x'] });
    expect(build).toThrow(GraphError);
    expect(build).toThrow(/MaxPool node "pool": .*non-overlapping windows.*kernel \[3,3\] and strides \[2,2\]/);
  });

  it('names the node for an AveragePool that excludes padding from its divisor', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 1, 4, 4]);
    g.output(g.reduceSum(g.averagePool(x, { kernelShape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'avg' }), undefined, false, { name: 'loss' }));
    expect(() => gradients(g.build(), { of: 'loss', wrt: ['x'] })).toThrow(/AveragePool node "avg": .*countIncludePad false/);
  });
});

describe('symbolic batch dims', () => {
  // A small CNN on x [N, 2, 6, 6]: Conv (stride 2) → BatchNorm (training) → ReLU → MaxPool → Flatten → Gemm → mean over the batch.
  function cnn(): Graph {
    const g = new GraphBuilder('cnn');
    const x = g.input('x', 'float32', ['N', 2, 6, 6]);
    const c = g.conv(x, g.param('K', [3, 2, 3, 3], 'weight'), g.param('kb', [3], 'bias'), { strides: [2, 2], pads: [1, 1, 1, 1] });
    const [bn] = g.batchNormTraining(c, g.param('scale', [3]), g.param('shift', [3]), g.param('mean', [3]), g.param('var', [3]));
    const p = g.maxPool(g.tanh(bn), { kernelShape: [3, 3], strides: [3, 3] });
    const flat = g.flatten(p);
    const z = g.gemm(flat, g.param('W', [2, 3], 'weight'), g.param('b', [2], 'bias'), { transB: true });
    g.output(g.reduceMean(g.reduceSum(g.mul(z, z), [1], false), undefined, false, { name: 'loss' }));
    return g.build();
  }

  it('keeps the batch symbolic in every gradient value and never writes a batch size', () => {
    const { graph, gradients: names } = gradients(cnn(), { of: 'loss', wrt: ['x', 'K', 'W'] });
    expect(graph.values.get(names.x)?.shape).toEqual(['N', 2, 6, 6]);
    expect(graph.values.get(names.K)?.shape).toEqual([3, 2, 3, 3]);
    for (const node of graph.nodes) {
      if (node.op === 'Expand') expect((node.attrs as { shape: unknown[] }).shape.every((d) => d === 'N' || typeof d === 'number')).toBe(true);
    }
  });

  it.each([2, 5])('matches finite differences with batch %i fed to the same graph', async (n) => {
    const graph = cnn();
    const feeds: Record<string, HostTensor> = {
      x: randomTensor(`x${n}`, [n, 2, 6, 6]),
      K: randomTensor('K', [3, 2, 3, 3], 0.5),
      kb: randomTensor('kb', [3], 0.1),
      scale: randomTensor('scale', [3]),
      shift: randomTensor('shift', [3]),
      mean: float32([3]),
      var: float32([3], [1, 1, 1]),
      W: randomTensor('W', [2, 3]),
      b: randomTensor('b', [2]),
    };
    await checkGradientCase(reference, reference, { name: `cnn batch ${n}`, graph, loss: 'loss', wrt: ['x', 'K', 'kb', 'scale', 'W'], feeds });
  });
});
