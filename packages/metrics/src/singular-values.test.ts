import { describe, expect, it } from 'vitest';
import { expectClose, fromFactors, gaussianMatrix, orthonormalColumns, seeded } from '../test/numeric.js';
import cases from './__fixtures__/singular-values.json' with { type: 'json' };
import { transpose, type Matrix } from './matrix.js';
import { createReductionKernels } from './reduction-kernels.js';
import { singularValues } from './singular-values.js';

function asMatrix(m: { rows: number; cols: number; data: number[] }): Matrix {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
}

describe('singularValues', () => {
  it.each(cases.flatMap((c) => [[c.name, 'wasm', c] as const, [c.name, 'javascript', c] as const]))(
    'matches LAPACK (numpy) on %s to 1e-14·σ₁ (%s kernels)',
    (_name, kind, c) => {
      const sigma = singularValues(asMatrix(c.matrix), { wasm: kind === 'wasm' });
      expectClose(sigma, c.sigma, { atol: 1e-14 * c.sigma[0], rtol: 0 }, 'sigma');
    },
  );

  it('uses the WebAssembly SIMD kernels on this runtime, which agree with the JavaScript ones', () => {
    expect(createReductionKernels().kind).toBe('wasm');
    expect(createReductionKernels(false).kind).toBe('javascript');
    const rng = seeded('kernels');
    for (const [m, n] of [[33, 33], [20, 97], [101, 41], [64, 130], [37, 101], [53, 150]]) {
      const W = gaussianMatrix(m, n, rng);
      const viaWasm = singularValues(W);
      expectClose(viaWasm, singularValues(W, { wasm: false }), { atol: 1e-13 * viaWasm[0], rtol: 0 }, `${m}×${n}`);
    }
  });

  it.each([
    [40, 40, 40],
    [64, 23, 23],
    [23, 64, 23],
    [30, 90, 30],
    [90, 30, 12],
    [50, 50, 7],
  ])('recovers s of U diag(s) Vᵀ for %i×%i with %i nonzero values', (m, n, k) => {
    const rng = seeded(`svd-${m}-${n}-${k}`);
    const s = Array.from({ length: k }, (_, j) => 10 ** (-8 * (j / Math.max(k - 1, 1))) * (1 + rng.uniform()));
    s.sort((a, b) => b - a);
    const W = fromFactors(orthonormalColumns(m, k, rng), s, orthonormalColumns(n, k, rng));
    const expected = [...s, ...new Array(Math.min(m, n) - k).fill(0)];
    expectClose(singularValues(W), expected, { atol: 1e-12 * s[0], rtol: 0 }, 'sigma');
  });

  it('gives the same values on two threads as on one (bidiagonalization and LQ paths)', () => {
    const rng = seeded('threads');
    for (const [m, n] of [[520, 512], [300, 1000], [301, 1003]]) {
      const W = gaussianMatrix(m, n, rng);
      const one = singularValues(W, { threads: 1 });
      expectClose(singularValues(W, { threads: 2 }), one, { atol: 1e-13 * one[0], rtol: 0 }, `${m}×${n}`);
    }
  });

  it('is invariant under transposition and does not modify its input', () => {
    const W = gaussianMatrix(17, 31, seeded(3));
    const copy = Float64Array.from(W.data);
    expectClose(singularValues(transpose(W)), singularValues(W), { atol: 1e-13 * 10, rtol: 0 }, 'sigma');
    expect(Array.from(W.data)).toEqual(Array.from(copy));
  });

  it('scales exactly with huge and tiny matrices (no overflow, no underflow)', () => {
    const W = gaussianMatrix(12, 9, seeded(5));
    const reference = singularValues(W);
    for (const factor of [1e200, 1e-200, 2 ** 1000]) {
      const scaled = { ...W, data: W.data.map((x) => x * factor) };
      expectClose(singularValues(scaled), reference.map((x) => x * factor), { atol: 0, rtol: 1e-13 }, `sigma×${factor}`);
    }
  });

  it('handles empty, zero and diagonal matrices', () => {
    expect(singularValues({ rows: 0, cols: 4, data: new Float64Array(0) }).length).toBe(0);
    expect(Array.from(singularValues({ rows: 2, cols: 3, data: new Float64Array(6) }))).toEqual([0, 0]);
    const diag = { rows: 3, cols: 3, data: Float64Array.from([0, 0, -2, 0, 5, 0, 1, 0, 0]) };
    expectClose(singularValues(diag), [5, 2, 1], { atol: 1e-15, rtol: 0 }, 'sigma');
  });

  it('rejects non-finite entries and malformed matrices', () => {
    expect(() => singularValues({ rows: 1, cols: 2, data: Float64Array.from([1, NaN]) })).toThrow(RangeError);
    expect(() => singularValues({ rows: 1, cols: 2, data: Float64Array.from([1, Infinity]) })).toThrow(RangeError);
    expect(() => singularValues({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(RangeError);
  });
});
