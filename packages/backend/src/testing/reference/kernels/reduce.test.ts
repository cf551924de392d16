import { describe, expect, it } from 'vitest';
import { float32 } from '../../../host-tensor.js';
import { GraphBuilder, type Value } from '../../../ir/builder.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const tight = { atol: 1e-12, rtol: 1e-12 };
const backend = createReferenceBackend();

async function apply(shape: number[], data: number[], op: (g: GraphBuilder, x: Value) => Value) {
  const g = new GraphBuilder('reduce');
  g.output(op(g, g.input('x', 'float32', shape)), 'y');
  return (await runOnce(backend, g.build(), { x: float32(shape, data) })).y;
}

// x = [[1, 2, 3], [4, 5, 6]]
const x = [1, 2, 3, 4, 5, 6];

describe('reference reductions', () => {
  it('sums, averages and maximizes over chosen axes with and without keepdims', async () => {
    const all = await apply([2, 3], x, (g, v) => g.reduceSum(v));
    expect(all.shape).toEqual([1, 1]);
    expectClose(all, [21], tight, 'sum all');
    const rows = await apply([2, 3], x, (g, v) => g.reduceSum(v, [1], false));
    expect(rows.shape).toEqual([2]);
    expectClose(rows, [6, 15], tight, 'row sums');
    expectClose(await apply([2, 3], x, (g, v) => g.reduceMean(v, [0])), [2.5, 3.5, 4.5], tight, 'column means');
    expectClose(await apply([2, 3], x, (g, v) => g.reduceMax(v, [-1], false)), [3, 6], tight, 'row max');
    expectClose(await apply([2, 3], [-5, -2, -9, -1, -7, -3], (g, v) => g.reduceMax(v)), [-1], tight, 'max of negatives');
  });

  it('reduces a 3-D tensor over two non-adjacent axes', async () => {
    // [2, 2, 2] = 1..8; over axes 0 and 2: j = 0 → 1+2+5+6, j = 1 → 3+4+7+8.
    const y = await apply([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], (g, v) => g.reduceSum(v, [0, 2], false));
    expectClose(y, [14, 22], tight, 'sum over axes 0, 2');
  });
});

describe('reference softmax', () => {
  it('gives rows that sum to 1, in the closed form e^x / Σ e^x', async () => {
    const y = await apply([2, 3], x, (g, v) => g.softmax(v));
    const row = [1, 2, 3].map((v) => Math.exp(v) / (Math.E + Math.E ** 2 + Math.E ** 3));
    expectClose(y, [...row, ...row], tight, 'softmax rows (shift invariant)');
    for (const r of [0, 1]) expect(Math.abs(Array.from(y.data as Float64Array).slice(3 * r, 3 * r + 3).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-15);
  });

  it('normalizes along a non-last axis', async () => {
    const y = await apply([2, 3], x, (g, v) => g.softmax(v, 0));
    const lo = 1 / (1 + Math.exp(3));
    expectClose(y, [lo, lo, lo, 1 - lo, 1 - lo, 1 - lo], tight, 'softmax over axis 0');
  });

  it('is stable for large inputs (no overflow to NaN)', async () => {
    const y = await apply([1, 2], [1000, 1001], (g, v) => g.softmax(v));
    expectClose(y, [1 / (1 + Math.E), Math.E / (1 + Math.E)], tight, 'softmax of large logits');
    const l = await apply([1, 2], [-1000, 1000], (g, v) => g.logSoftmax(v));
    expectClose(l, [-2000, 0], tight, 'log-softmax of extreme logits');
  });

  it('log-softmax equals x − log Σ e^x', async () => {
    const y = await apply([2, 3], x, (g, v) => g.logSoftmax(v));
    const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    expectClose(y, [1 - lse, 2 - lse, 3 - lse, 1 - lse, 2 - lse, 3 - lse], tight, 'log-softmax');
  });
});
