import { describe, expect, it } from 'vitest';
import { float32 } from '../../../host-tensor.js';
import { GraphBuilder } from '../../../ir/builder.js';
import type { OpAttrs } from '../../../ir/types.js';
import { createRng } from '../../../random.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const exact = { atol: 1e-12, rtol: 1e-12 };
const backend = createReferenceBackend();
const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);
const randoms = (n: number, seed: number): number[] => {
  const rng = createRng(seed);
  // Rounded to float32 so the fed values (Float32Array) equal the ones used in the expected sums.
  return Array.from({ length: n }, () => Math.fround(rng.normal()));
};

async function conv(xShape: number[], x: number[], wShape: number[], w: number[], attrs: OpAttrs['Conv'] = {}, b?: number[]) {
  const g = new GraphBuilder('conv');
  const bias = b ? g.input('b', 'float32', [b.length]) : undefined;
  g.output(g.conv(g.input('x', 'float32', xShape), g.input('w', 'float32', wShape), bias, attrs, { name: 'y' }));
  const feeds = { x: float32(xShape, x), w: float32(wShape, w), ...(b ? { b: float32([b.length], b) } : {}) };
  return (await runOnce(backend, g.build(), feeds)).y;
}

async function convTranspose(xShape: number[], x: number[], wShape: number[], w: number[], attrs: OpAttrs['ConvTranspose'] = {}) {
  const g = new GraphBuilder('convT');
  g.output(g.convTranspose(g.input('x', 'float32', xShape), g.input('w', 'float32', wShape), undefined, attrs, { name: 'y' }));
  return (await runOnce(backend, g.build(), { x: float32(xShape, x), w: float32(wShape, w) })).y;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

describe('reference Conv', () => {
  it('computes a 3×3 image against a 2×2 kernel by hand (cross-correlation, not flipped)', async () => {
    // x = [[1,2,3],[4,5,6],[7,8,9]], k = [[1,0],[0,-1]]: y[i][j] = x[i][j] − x[i+1][j+1] = −4 everywhere.
    const y = await conv([1, 1, 3, 3], range(9), [1, 1, 2, 2], [1, 0, 0, -1]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expectClose(y, [-4, -4, -4, -4], exact, 'conv');
    // k = [[0,1],[2,0]]: y[i][j] = x[i][j+1] + 2·x[i+1][j].
    expectClose(await conv([1, 1, 3, 3], range(9), [1, 1, 2, 2], [0, 1, 2, 0]), [10, 13, 19, 22], exact, 'asymmetric kernel');
  });

  it('applies zero padding, stride and bias', async () => {
    // 3×3 ones kernel over the zero-padded x, stride 2: the four corners of the padded sums, plus bias 0.5.
    const y = await conv([1, 1, 3, 3], range(9), [1, 1, 3, 3], new Array(9).fill(1), { pads: [1, 1, 1, 1], strides: [2, 2] }, [0.5]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expectClose(y, [1 + 2 + 4 + 5 + 0.5, 2 + 3 + 5 + 6 + 0.5, 4 + 5 + 7 + 8 + 0.5, 5 + 6 + 8 + 9 + 0.5], exact, 'padded strided conv');
  });

  it('dilates the kernel', async () => {
    // 2×2 ones kernel with dilation 2 on 3×3 reads the four corners: 1 + 3 + 7 + 9.
    expectClose(await conv([1, 1, 3, 3], range(9), [1, 1, 2, 2], [1, 1, 1, 1], { dilations: [2, 2] }), [20], exact, 'dilated conv');
  });

  it('keeps groups separate (depthwise conv equals per-channel convs)', async () => {
    const x = randoms(2 * 4 * 4, 1);
    const w = randoms(2 * 3 * 3, 2);
    const grouped = await conv([1, 2, 4, 4], x, [2, 1, 3, 3], w, { group: 2 });
    for (let c = 0; c < 2; c++) {
      const single = await conv([1, 1, 4, 4], x.slice(c * 16, (c + 1) * 16), [1, 1, 3, 3], w.slice(c * 9, (c + 1) * 9));
      expectClose(grouped.data.slice(c * 4, (c + 1) * 4), single.data, exact, `channel ${c}`);
    }
  });
});

describe('reference ConvTranspose', () => {
  it('spreads each input pixel over the kernel (hand-computed 2×2 → 3×3)', async () => {
    const y = await convTranspose([1, 1, 2, 2], [1, 2, 3, 4], [1, 1, 2, 2], [1, 1, 1, 1]);
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expectClose(y, [1, 3, 2, 4, 10, 6, 3, 7, 4], exact, 'convTranspose');
  });

  it('is the adjoint of Conv: ⟨conv(x, W), y⟩ = ⟨x, convT(y, W)⟩ for strides, pads, dilations and groups', async () => {
    const geometries: OpAttrs['Conv'][] = [
      { strides: [2, 2], pads: [1, 1, 1, 1] },
      { strides: [2, 1], pads: [0, 1, 1, 0], dilations: [1, 2] },
      { group: 2, pads: [1, 0, 1, 0] },
    ];
    for (const [k, attrs] of geometries.entries()) {
      const [n, c, h, w, m, kh, kw] = [2, 4, 7, 6, 6, 3, 2];
      const group = attrs.group ?? 1;
      const x = randoms(n * c * h * w, 10 + k);
      const wt = randoms(m * (c / group) * kh * kw, 20 + k);
      const y = await conv([n, c, h, w], x, [m, c / group, kh, kw], wt, attrs);
      const probe = randoms(y.data.length, 30 + k);
      // Conv's weight [M, C/g, kh, kw] read as ConvTranspose's [C_in = M, M_out/g = C/g, kh, kw].
      const [oh, ow] = [y.shape[2], y.shape[3]];
      const pads = attrs.pads ?? [0, 0, 0, 0];
      const strides = attrs.strides ?? [1, 1];
      const dilations = attrs.dilations ?? [1, 1];
      // outputPadding recovers input rows/cols the strided forward window never reached.
      const outputPadding = [0, 1].map((a) => [h, w][a] - ((([oh, ow][a] - 1) * strides[a]) - pads[a] - pads[a + 2] + dilations[a] * ([kh, kw][a] - 1) + 1));
      const back = await convTranspose([n, m, oh, ow], probe, [m, c / group, kh, kw], wt, { ...attrs, outputPadding });
      expect(back.shape).toEqual([n, c, h, w]);
      const lhs = dot(y.data as Float64Array, probe);
      const rhs = dot(x, back.data as Float64Array);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * (1 + Math.abs(lhs)));
    }
  });
});
