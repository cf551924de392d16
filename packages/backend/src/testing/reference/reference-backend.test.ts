import { describe, expect, it } from 'vitest';
import { RunError } from '../../errors.js';
import { bool, float32, int64 } from '../../host-tensor.js';
import { GraphBuilder } from '../../ir/builder.js';
import type { Graph } from '../../ir/types.js';
import { createRng } from '../../random.js';
import { expectClose } from '../expect-close.js';
import { createReferenceBackend } from './reference-backend.js';

const exact = { atol: 0, rtol: 0 };

function affine(): Graph {
  const g = new GraphBuilder('affine');
  const x = g.input('x', 'float32', ['N', 3]);
  const m = g.input('m', 'float32', ['N', 1]);
  const w = g.param('w', [3], 'weight');
  g.output(g.add(g.mul(x, w), m), 'y');
  g.output(g.reduceSum(x), 'total');
  return g.build();
}

describe('reference backend feeds and fetches', () => {
  const backend = createReferenceBackend();
  const feeds = { x: float32([2, 3], [1, 2, 3, 4, 5, 6]), m: float32([2, 1], [10, 20]), w: float32([3], [1, 0, -1]) };

  it('runs with a symbolic batch and returns float64 data for float32 values', async () => {
    const exe = await backend.compile(affine());
    const out = await exe.run(feeds);
    const y = await backend.download(out.y);
    expect(y.data).toBeInstanceOf(Float64Array);
    expectClose(y, [11, 10, 7, 24, 20, 14], exact, 'y');
    expect(Object.keys(await exe.run(feeds, { fetch: ['total'] }))).toEqual(['total']);
  });

  it.each([
    ['a missing feed', { x: feeds.x, w: feeds.w }, /feed "m" is missing \(expected float32 \[N, 1\]\)/],
    ['a wrong static dim', { ...feeds, x: float32([2, 4]) }, /feed "x": expected float32 \[N, 3\], got float32 \[2, 4\]/],
    ['a wrong dtype', { ...feeds, w: int64([3], [1, 2, 3]) }, /feed "w": expected float32 \[3\], got int64 \[3\]/],
    ['inconsistent symbolic dims', { ...feeds, m: float32([3, 1]) }, /feed "m": expected float32 \[N, 1\] with N = 2 \(from feed "x"\), got float32 \[3, 1\]/],
    ['data not fitting its shape', { ...feeds, w: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }, /feed "w".*needs 3 elements/],
  ] as const)('rejects %s with a RunError naming the feed', async (_name, bad, message) => {
    const exe = await backend.compile(affine());
    await expect(exe.run(bad as never)).rejects.toThrow(RunError);
    await expect(exe.run(bad as never)).rejects.toThrow(message);
  });

  it('rejects fetches that are not outputs and runs after dispose', async () => {
    const exe = await backend.compile(affine());
    await expect(exe.run(feeds, { fetch: ['nope'] })).rejects.toThrow(/fetch "nope" is not a graph output/);
    await expect(exe.run(feeds, { keepResident: ['total'], fetch: ['y'] })).rejects.toThrow(/keepResident "total" is not fetched/);
    exe.dispose();
    await expect(exe.run(feeds)).rejects.toThrow(/disposed/);
  });

  it('rejects at compile time a graph whose recorded types disagree with inference', async () => {
    const graph = affine();
    const values = new Map(graph.values);
    values.set('total', { dtype: 'float32', shape: [2] });
    await expect(backend.compile({ ...graph, values })).rejects.toThrow(/output "total" is declared float32 \[2\], inference gives float32 \[1, 1\]/);
  });
});

describe('reference backend resident tensors', () => {
  it('round-trips every dtype, keeps outputs resident and feeds them back, and disposes', async () => {
    const backend = createReferenceBackend();
    for (const t of [float32([2, 2], [1.5, -2, 3, 4]), int64([3], [-1, 0, 2 ** 40]), bool([2], [true, false])]) {
      const r = backend.upload(t);
      expect(r).toMatchObject({ kind: 'resident', backend: 'reference', dtype: t.dtype, shape: t.shape });
      expectClose(await backend.download(r), t, exact, `${t.dtype} round trip`);
      backend.dispose(r);
      backend.dispose(r);
      await expect(backend.download(r)).rejects.toThrow(/disposed/);
    }
    expect(backend.liveResidentCount).toBe(0);

    const g = new GraphBuilder('step');
    const p = g.input('p', 'float32', [2]);
    g.output(g.add(p, g.param('d', [2])), 'next');
    const exe = await backend.compile(g.build());
    const d = backend.upload(float32([2], [1, 2]));
    let p0 = backend.upload(float32([2], [0, 0]));
    for (let step = 0; step < 3; step++) {
      const { next } = await exe.run({ p: p0, d }, { keepResident: ['next'] });
      expect(next).toMatchObject({ kind: 'resident', dtype: 'float32', shape: [2] });
      backend.dispose(p0);
      p0 = next as typeof p0;
    }
    expectClose(await backend.download(p0), [3, 6], exact, 'after three steps');
    await expect(exe.run({ p: { ...p0, backend: 'other' } as typeof p0, d })).rejects.toThrow(/belongs to backend "other"/);
    backend.dispose(p0);
    backend.dispose(d);
    expect(backend.liveResidentCount).toBe(0);
  });
});

/** One SGD step of a 784-64-10 MLP with softmax cross-entropy, the backward pass written out by hand. */
function mlpStep(): Graph {
  const g = new GraphBuilder('mlp-step');
  const x = g.input('x', 'float32', ['N', 784]);
  const t = g.input('t', 'float32', ['N', 10]);
  const w1 = g.param('W1', [64, 784], 'weight');
  const w2 = g.param('W2', [10, 64], 'weight');
  const z1 = g.gemm(x, w1, undefined, { transB: true });
  const h1 = g.relu(z1);
  const z2 = g.gemm(h1, w2, undefined, { transB: true });
  const logp = g.logSoftmax(z2);
  g.output(g.neg(g.reduceMean(g.reduceSum(g.mul(t, logp), [1], false), [0], false)), 'loss');
  // N as a graph value (the one-hot rows each sum to 1), so the graph keeps a symbolic batch.
  const batch = g.reduceSum(g.reduceSum(t, [1], false), [0], false);
  const dz2 = g.div(g.sub(g.exp(logp), t), batch);
  const dw2 = g.matmul(dz2, h1, { transA: true });
  const dh1 = g.matmul(dz2, w2);
  const dz1 = g.mul(dh1, g.cast(g.greater(z1, g.scalar(0)), 'float32'));
  const dw1 = g.matmul(dz1, x, { transA: true });
  const lr = g.scalar(0.1);
  g.output(g.sub(w1, g.mul(lr, dw1)), 'W1next');
  g.output(g.sub(w2, g.mul(lr, dw2)), 'W2next');
  return g.build();
}

describe('reference backend speed', () => {
  it('runs an MLP 784-64-10 train step on batch 32 well under a second, and the loss falls', async () => {
    const backend = createReferenceBackend();
    const rng = createRng('mlp-speed');
    const normal = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
    const x = float32([32, 784], Float32Array.from({ length: 32 * 784 }, () => rng.uniform()));
    const t = float32([32, 10], Float32Array.from({ length: 320 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)));
    const exe = await backend.compile(mlpStep());
    let W1 = backend.upload(float32([64, 784], normal(64 * 784, 0.05)));
    let W2 = backend.upload(float32([10, 64], normal(640, 0.1)));
    const losses: number[] = [];
    const times: number[] = [];
    for (let step = 0; step < 5; step++) {
      const start = performance.now();
      const out = await exe.run({ x, t, W1, W2 }, { keepResident: ['W1next', 'W2next'] });
      times.push(performance.now() - start);
      losses.push(Number((await backend.download(out.loss)).data[0]));
      W1 = out.W1next as typeof W1;
      W2 = out.W2next as typeof W2;
    }
    if (process.env.REFERENCE_TIMING) console.log(`MLP step times (ms): ${times.map((v) => v.toFixed(1)).join(', ')}`);
    expect(Math.min(...times)).toBeLessThan(250);
    expect(losses[4]).toBeLessThan(losses[0]);
  });
});
