import { describe, expect, it } from 'vitest';
import { expectClose, frobenius, fromFactors, gaussianMatrix, multiply, orthonormalColumns, seeded } from '../test/numeric.js';
import { singularValues } from './singular-values.js';
import { tail } from './spectral-tail.js';
import { truncatedSvd } from './truncated-svd.js';

describe('truncatedSvd', () => {
  it.each([
    [40, 25, 5],
    [25, 40, 5],
    [30, 30, 10],
  ])('reproduces the best rank-r approximation of a %i×%i matrix with known factors (r = %i)', (m, n, r) => {
    const rng = seeded(`trunc-${m}-${n}`);
    const k = Math.min(m, n);
    const s = Array.from({ length: k }, (_, j) => 2 ** -j);
    const U = orthonormalColumns(m, k, rng);
    const V = orthonormalColumns(n, k, rng);
    const W = fromFactors(U, s, V);
    const { left, right, sigma } = truncatedSvd(W, r);
    expect([left.rows, left.cols, right.rows, right.cols]).toEqual([m, r, r, n]);
    expectClose(sigma, s.slice(0, r), { atol: 1e-12, rtol: 0 }, 'sigma');
    const best = fromFactors(
      { rows: m, cols: r, data: U.data.filter((_, t) => t % k < r) },
      s.slice(0, r),
      { rows: n, cols: r, data: V.data.filter((_, t) => t % k < r) },
    );
    expectClose(multiply(left, right).data, best.data, { atol: 1e-10, rtol: 0 }, 'product');
  });

  it('has an approximation error equal to τ_r to 1e-7·‖W‖_F, tiny singular values included', () => {
    const rng = seeded('trunc-error');
    for (const [m, n] of [[60, 35], [35, 60]]) {
      const k = Math.min(m, n);
      const s = Array.from({ length: k }, (_, j) => 10 ** (-12 * j / (k - 1)));
      const W = fromFactors(orthonormalColumns(m, k, rng), s, orthonormalColumns(n, k, rng));
      const sigma = singularValues(W);
      const norm = frobenius(W.data);
      for (const r of [1, 5, 20, k - 1]) {
        const { left, right } = truncatedSvd(W, r);
        const product = multiply(left, right).data;
        const error = frobenius(W.data.map((x, t) => x - product[t]));
        expectClose(error, tail(sigma, r), { atol: 1e-7 * norm, rtol: 0 }, `error ${m}×${n} r=${r}`);
      }
    }
  });

  it('clamps r, handles r = 0 and rank-deficient input', () => {
    const W = gaussianMatrix(6, 4, seeded(1));
    expect(truncatedSvd(W, 10).left.cols).toBe(4);
    expect(truncatedSvd(W, 0).sigma.length).toBe(0);
    const rankOne = multiply(gaussianMatrix(5, 1, seeded(2)), gaussianMatrix(1, 8, seeded(3)));
    const { left, right, sigma } = truncatedSvd(rankOne, 3);
    expectClose(sigma.slice(1), [0, 0], { atol: 1e-7 * sigma[0], rtol: 0 }, 'zero tail');
    expectClose(multiply(left, right).data, rankOne.data, { atol: 1e-12 * sigma[0], rtol: 0 }, 'product');
    expect(() => truncatedSvd(W, -1)).toThrow(RangeError);
  });
});
