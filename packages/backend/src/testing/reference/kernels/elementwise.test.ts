import { describe, expect, it } from 'vitest';
import { bool, float32, int64 } from '../../../host-tensor.js';
import { GraphBuilder, type Value } from '../../../ir/builder.js';
import type { HostTensor } from '../../../ir/types.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const tight = { atol: 1e-15, rtol: 1e-15 };
const backend = createReferenceBackend();

async function apply(inputs: Record<string, HostTensor>, op: (g: GraphBuilder, v: Value[]) => Value) {
  const g = new GraphBuilder('elementwise');
  const values = Object.entries(inputs).map(([name, t]) => g.input(name, t.dtype, t.shape));
  g.output(op(g, values), 'y');
  return (await runOnce(backend, g.build(), inputs)).y;
}

describe('reference elementwise ops', () => {
  it('broadcasts a row and a column: [2, 1] − [3] → [2, 3]', async () => {
    const y = await apply({ a: float32([2, 1], [10, 20]), b: float32([3], [1, 2, 3]) }, (g, [a, b]) => g.sub(a, b));
    expect(y.shape).toEqual([2, 3]);
    expectClose(y, [9, 8, 7, 19, 18, 17], tight, 'sub');
  });

  it('activations match their closed forms, including extreme inputs', async () => {
    const x = float32([5], [-800, -1, 0, 2, 800]);
    expectClose(await apply({ x }, (g, [v]) => g.sigmoid(v)), [0, 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2)), 1], tight, 'sigmoid');
    expectClose(await apply({ x }, (g, [v]) => g.relu(v)), [0, 0, 0, 2, 800], tight, 'relu');
    expectClose(await apply({ x }, (g, [v]) => g.leakyRelu(v, 0.1)), [-80, -0.1, 0, 2, 800], tight, 'leaky relu');
    expectClose(await apply({ x }, (g, [v]) => g.clip(v, { min: -1, max: 1 })), [-1, -1, 0, 1, 1], tight, 'clip');
    expectClose(await apply({ x }, (g, [v]) => g.clip(v, { max: 1 })), [-800, -1, 0, 1, 1], tight, 'clip without min');
    expectClose(await apply({ x }, (g, [v]) => g.tanh(v)), [-1, Math.tanh(-1), 0, Math.tanh(2), 1], tight, 'tanh');
  });

  it('Greater, Equal (of every dtype) and Where', async () => {
    const a = float32([3], [1, 2, 3]);
    const two = float32([1], [2]);
    expectClose(await apply({ a, two }, (g, [x, y]) => g.greater(x, y)), [0, 0, 1], tight, 'greater');
    const eq = await apply({ a, two }, (g, [x, y]) => g.equal(x, y));
    expect(eq.dtype).toBe('bool');
    expectClose(eq, [0, 1, 0], tight, 'equal float');
    expectClose(await apply({ p: int64([3], [5, -7, 9]), q: int64([3], [5, 7, 9]) }, (g, [x, y]) => g.equal(x, y)), [1, 0, 1], tight, 'equal int64');
    const w = await apply({ c: bool([2, 1], [true, false]), x: float32([3], [1, 2, 3]), z: float32([], [-1]) }, (g, [c, x, z]) => g.where(c, x, z));
    expect(w.shape).toEqual([2, 3]);
    expectClose(w, [1, 2, 3, -1, -1, -1], tight, 'where');
  });

  it('Cast truncates toward zero, maps bools to 0/1 and non-zeros to true', async () => {
    const x = float32([4], [-2.7, -0.5, 0.5, 2.7]);
    const i = await apply({ x }, (g, [v]) => g.cast(v, 'int64'));
    expect(i.dtype).toBe('int64');
    expect(Array.from(i.data as BigInt64Array)).toEqual([-2n, 0n, 0n, 2n]);
    expectClose(await apply({ x }, (g, [v]) => g.cast(g.cast(v, 'bool'), 'float32')), [1, 1, 1, 1], tight, 'float → bool → float');
    expectClose(await apply({ b: bool([2], [false, true]) }, (g, [v]) => g.cast(v, 'float32')), [0, 1], tight, 'bool → float');
  });
});
