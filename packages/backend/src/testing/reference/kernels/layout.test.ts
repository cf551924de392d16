import { describe, expect, it } from 'vitest';
import { float32, int64 } from '../../../host-tensor.js';
import { GraphBuilder, type Value } from '../../../ir/builder.js';
import type { HostTensor, OpAttrs } from '../../../ir/types.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const exact = { atol: 0, rtol: 0 };
const backend = createReferenceBackend();

async function apply(x: HostTensor, op: (g: GraphBuilder, v: Value) => Value, declared: readonly (number | string)[] = x.shape) {
  const g = new GraphBuilder('layout');
  g.output(op(g, g.input('x', x.dtype, declared)), 'y');
  return (await runOnce(backend, g.build(), { x })).y;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const slice = (attrs: OpAttrs['Slice']) => (g: GraphBuilder, v: Value) => g.slice(v, attrs);

describe('reference Slice (ONNX clamping)', () => {
  const x = float32([10], range(10));
  it.each([
    ['plain range', { starts: [2], ends: [5] }, [2, 3, 4]],
    ['ends past the end clamp', { starts: [7], ends: [1000] }, [7, 8, 9]],
    ['negative start counts from the end', { starts: [-3], ends: [10] }, [7, 8, 9]],
    ['start before the beginning clamps to 0', { starts: [-100], ends: [2] }, [0, 1]],
    ['empty when start ≥ end', { starts: [5], ends: [2] }, []],
    ['step 3', { starts: [1], ends: [10], steps: [3] }, [1, 4, 7]],
    ['negative step walks back, end exclusive', { starts: [8], ends: [2], steps: [-2] }, [8, 6, 4]],
    ['negative step with a very negative end reaches index 0', { starts: [-1], ends: [-1000], steps: [-1] }, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
    ['negative step from a start past the end clamps to the last index', { starts: [1000], ends: [6], steps: [-1] }, [9, 8, 7]],
  ] as const)('%s', async (_name, attrs, expected) => {
    const y = await apply(x, slice(attrs));
    expect(y.shape).toEqual([expected.length]);
    expectClose(y, expected, exact, 'slice');
  });

  it('slices chosen axes of a matrix', async () => {
    // [3, 4] = 0..11; rows 1.., columns reversed with step −2 from the last.
    const y = await apply(float32([3, 4], range(12)), slice({ starts: [1, -1], ends: [1000, -1000], axes: [0, 1], steps: [1, -2] }));
    expect(y.shape).toEqual([2, 2]);
    expectClose(y, [7, 5, 11, 9], exact, '2-D slice');
  });
});

describe('reference data movement', () => {
  it('transposes (default reverses the dims) and keeps int64 values', async () => {
    const y = await apply(int64([2, 3], range(6)), (g, v) => g.transpose(v));
    expect(y.shape).toEqual([3, 2]);
    expectClose(y, [0, 3, 1, 4, 2, 5], exact, 'transpose');
    const z = await apply(float32([2, 3, 4], range(24)), (g, v) => g.transpose(v, [1, 2, 0]));
    expect(z.shape).toEqual([3, 4, 2]);
    // z[i, j, k] = x[k, i, j] = 12k + 4i + j.
    expectClose(z, range(24).map((n) => 12 * (n % 2) + 4 * Math.floor(n / 8) + (Math.floor(n / 2) % 4)), exact, 'transpose [1, 2, 0]');
  });

  it('pads with a constant on both sides of each dim', async () => {
    const y = await apply(float32([2, 2], [1, 2, 3, 4]), (g, v) => g.pad(v, [1, 0, 0, 2], 9));
    expect(y.shape).toEqual([3, 4]);
    expectClose(y, [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9], exact, 'pad');
  });

  it('concatenates along an inner axis', async () => {
    const g = new GraphBuilder('concat');
    const a = g.input('a', 'float32', [2, 1]);
    const b = g.input('b', 'float32', [2, 2]);
    g.output(g.concat([a, b, a], -1), 'y');
    const { y } = await runOnce(backend, g.build(), { a: float32([2, 1], [1, 2]), b: float32([2, 2], [3, 4, 5, 6]) });
    expect(y.shape).toEqual([2, 4]);
    expectClose(y, [1, 3, 4, 1, 2, 5, 6, 2], exact, 'concat');
  });

  it('expands to a symbolic shape bound by a feed', async () => {
    const g = new GraphBuilder('expand');
    g.input('x', 'float32', ['N', 2]);
    const b = g.input('b', 'float32', [1, 2]);
    g.output(g.expand(b, ['N', 2]), 'y');
    const { y } = await runOnce(backend, g.build(), { x: float32([3, 2]), b: float32([1, 2], [7, 8]) });
    expect(y.shape).toEqual([3, 2]);
    expectClose(y, [7, 8, 7, 8, 7, 8], exact, 'expand');
  });

  it('reshapes, flattens, squeezes and unsqueezes without moving data', async () => {
    const x = float32([2, 3, 1], range(6));
    expect((await apply(x, (g, v) => g.reshape(v, [0, -1]))).shape).toEqual([2, 3]);
    expect((await apply(x, (g, v) => g.flatten(v, 0))).shape).toEqual([1, 6]);
    expect((await apply(x, (g, v) => g.squeeze(v, [-1]))).shape).toEqual([2, 3]);
    const u = await apply(x, (g, v) => g.unsqueeze(v, [0, 4]));
    expect(u.shape).toEqual([1, 2, 3, 1, 1]);
    expectClose(u, range(6), exact, 'unsqueeze keeps order');
    const r = await apply(float32([2, 3, 4], range(24)), (g, v) => g.reshape(v, [-1, 12]), ['N', 3, 4]);
    expect(r.shape).toEqual([2, 12]);
    expectClose(r, range(24), exact, 'reshape with a symbolic batch');
  });
});
