import { describe, expect, it } from 'vitest';
import { float32 } from '../../../host-tensor.js';
import { GraphBuilder, type Value } from '../../../ir/builder.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const tight = { atol: 1e-12, rtol: 1e-12 };
const backend = createReferenceBackend();
// x = [[1,2,3],[4,5,6],[7,8,9]]
const x = float32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

async function apply(op: (g: GraphBuilder, v: Value) => Value, input = x) {
  const g = new GraphBuilder('pool');
  g.output(op(g, g.input('x', 'float32', input.shape)), 'y');
  return (await runOnce(backend, g.build(), { x: input })).y;
}

describe('reference pooling', () => {
  it('averages 2×2 windows with padding excluded from the divisor by default', async () => {
    // Padding 1 on every side, stride 2: windows hold 1, 2, 2 and 4 real pixels.
    const y = await apply((g, v) => g.averagePool(v, { kernelShape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] }));
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expectClose(y, [1, (2 + 3) / 2, (4 + 7) / 2, (5 + 6 + 8 + 9) / 4], tight, 'average pool excluding padding');
  });

  it('counts padding in the divisor with countIncludePad', async () => {
    const y = await apply((g, v) => g.averagePool(v, { kernelShape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true }));
    expectClose(y, [1 / 4, 5 / 4, 11 / 4, 28 / 4], tight, 'average pool including padding');
  });

  it('takes the max over windows where padding never wins', async () => {
    const negative = float32([1, 1, 3, 3], [-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    const y = await apply((g, v) => g.maxPool(v, { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), negative);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expectClose(y, [-1, -2, -4, -5], tight, 'max pool with padding');
    expectClose(await apply((g, v) => g.maxPool(v, { kernelShape: [2, 2] })), [5, 6, 8, 9], tight, 'overlapping max pool');
  });

  it('global average pool is the per-channel mean', async () => {
    const two = float32([1, 2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40]);
    const y = await apply((g, v) => g.globalAveragePool(v), two);
    expect(y.shape).toEqual([1, 2, 1, 1]);
    expectClose(y, [2.5, 25], tight, 'global average pool');
  });
});
