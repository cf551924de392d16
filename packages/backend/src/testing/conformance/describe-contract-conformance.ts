/**
 * Contract checks beyond op math: feeds are validated with RunErrors naming them, fetch selects outputs,
 * resident tensors round-trip, stay resident across runs and are disposed.
 */
import { expect, it } from 'vitest';
import { isResident, type Backend, type Feed, type ResidentTensor } from '../../backend.js';
import { RankCollapseError } from '../../errors.js';
import { bool, float32, int64 } from '../../host-tensor.js';
import { GraphBuilder } from '../../ir/builder.js';
import type { Graph } from '../../ir/types.js';
import { expectClose } from '../expect-close.js';

const exact = { atol: 0, rtol: 0 };

/** y = x ⊙ w + m with x [N, 3], m [N, 1], w a param; also total = ΣX. */
function affine(): Graph {
  const g = new GraphBuilder('contract-affine');
  const x = g.input('x', 'float32', ['N', 3]);
  const m = g.input('m', 'float32', ['N', 1]);
  g.output(g.add(g.mul(x, g.param('w', [3], 'weight')), m), 'y');
  g.output(g.reduceSum(x, undefined, false), 'total');
  return g.build();
}

const feeds = { x: float32([2, 3], [1, 2, 3, 4, 5, 6]), m: float32([2, 1], [10, 20]), w: float32([3], [1, 0, -1]) };

/** Calls `f` so that a synchronous throw also becomes a rejection. */
const attempt = <T>(f: () => T | Promise<T>): Promise<T> => (async () => f())();

/** Registers the contract tests; `backend()` returns the backend under test once created. */
export function describeContractConformance(backend: () => Backend, skip: (name: string) => boolean): void {
  const test = (name: string, body: () => Promise<void>) => (skip(name) ? it.skip : it)(name, body);

  test('contract: runs with a symbolic batch; fetch selects outputs; non-kept outputs are host tensors', async () => {
    const exe = await backend().compile(affine());
    try {
      const out = await exe.run(feeds);
      expect(isResident(out.y)).toBe(false);
      expectClose(await backend().download(out.y), [11, 10, 7, 24, 20, 14], exact, 'y');
      expectClose(await backend().download(out.total), [21], exact, 'total');
      expect(Object.keys(await exe.run(feeds, { fetch: ['total'] }))).toEqual(['total']);
    } finally {
      exe.dispose();
    }
  });

  test('contract: a missing feed or a wrong static dim is a RunError naming the feed', async () => {
    const exe = await backend().compile(affine());
    try {
      await expect(exe.run({ x: feeds.x, w: feeds.w })).rejects.toThrow(RankCollapseError);
      await expect(exe.run({ x: feeds.x, w: feeds.w })).rejects.toThrow(/"m"|\bm\b/);
      await expect(exe.run({ ...feeds, x: float32([2, 4]) })).rejects.toThrow(/"x"|\bx\b/);
      await expect(exe.run({ ...feeds, w: float32([4]) })).rejects.toThrow(RankCollapseError);
      await expect(exe.run({ ...feeds, m: float32([3, 1]) })).rejects.toThrow(RankCollapseError);
    } finally {
      exe.dispose();
    }
  });

  // int64 values stay within int32 range: backends without 64-bit integers (tfjs) hold indices as int32.
  test('contract: upload/download round-trips float32, int64 and bool exactly', async () => {
    const b = backend();
    for (const t of [float32([2, 3], [1.5, -2, 3.25, 0, 1e-3, -7e5]), int64([3], [-1, 0, 2 ** 31 - 1]), bool([2, 2], [true, false, false, true])]) {
      const r = b.upload(t);
      expect(r).toMatchObject({ kind: 'resident', backend: b.name, dtype: t.dtype, shape: t.shape });
      const back = await b.download(r);
      if (t.dtype === 'int64') expect(Array.from(back.data as BigInt64Array)).toEqual(Array.from(t.data as BigInt64Array));
      else expectClose(back, t, exact, `${t.dtype} round trip`);
      b.dispose(r);
    }
  });

  test('contract: keepResident outputs come back resident and feed a second run', async () => {
    const b = backend();
    const g = new GraphBuilder('contract-accumulate');
    const p = g.input('p', 'float32', [2, 2]);
    g.output(g.add(p, g.param('d', [2, 2])), 'next');
    g.output(g.reduceSum(p, undefined, false), 'sum');
    const exe = await b.compile(g.build());
    const d = b.upload(float32([2, 2], [1, 2, 3, 4]));
    let p0: Feed = float32([2, 2]);
    try {
      for (let step = 0; step < 3; step++) {
        const out = await exe.run({ p: p0, d }, { keepResident: ['next'] });
        expect(isResident(out.next)).toBe(true);
        expect(out.next).toMatchObject({ dtype: 'float32', shape: [2, 2], backend: b.name });
        expect(isResident(out.sum)).toBe(false);
        if (isResident(p0)) b.dispose(p0);
        p0 = out.next;
      }
      expectClose(await b.download(p0), [3, 6, 9, 12], exact, 'after three steps');
    } finally {
      if (isResident(p0)) b.dispose(p0);
      b.dispose(d);
      exe.dispose();
    }
  });

  test('contract: disposing twice is harmless; a disposed tensor cannot be downloaded', async () => {
    const b = backend();
    const r: ResidentTensor = b.upload(float32([2], [1, 2]));
    b.dispose(r);
    b.dispose(r);
    await expect(attempt(() => b.download(r))).rejects.toThrow();
  });
}
