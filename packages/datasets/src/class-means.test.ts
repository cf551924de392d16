import { createRng } from '@rank-collapse/backend';
import { describe, expect, it } from 'vitest';
import { classMeans } from './class-means.js';

function distance(means: Float64Array, D: number, j: number, k: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += (means[j * D + d] - means[k * D + d]) ** 2;
  return Math.sqrt(s);
}

describe('classMeans', () => {
  it.each([
    [2, 1],
    [3, 2],
    [10, 9],
    [10, 50],
  ])("'simplex' puts K=%i means in D=%i exactly `separation` apart, centred at 0", (K, D) => {
    const means = classMeans(K, D, 3, 'simplex', createRng(1));
    for (let j = 0; j < K; j++) for (let k = j + 1; k < K; k++) expect(Math.abs(distance(means, D, j, k) - 3)).toBeLessThan(1e-12);
    for (let d = 0; d < D; d++) {
      let centre = 0;
      for (let k = 0; k < K; k++) centre += means[k * D + d];
      expect(Math.abs(centre / K)).toBeLessThan(1e-12);
    }
  });

  it("'simplex' is not axis-aligned and depends on the seed", () => {
    const a = classMeans(3, 20, 1, 'simplex', createRng(1));
    const b = classMeans(3, 20, 1, 'simplex', createRng(2));
    expect(a.filter((v) => Math.abs(v) > 1e-9).length).toBe(60);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(classMeans(3, 20, 1, 'simplex', createRng(1)))).toEqual(Array.from(a));
  });

  it("'random' gives means of norm separation/√2 whose distances approach separation in high dimension", () => {
    const K = 5;
    const D = 4000;
    const means = classMeans(K, D, 2, 'random', createRng(3));
    const origin = new Float64Array(D);
    for (let k = 0; k < K; k++) {
      const withOrigin = new Float64Array([...means.subarray(k * D, (k + 1) * D), ...origin]);
      expect(Math.abs(distance(withOrigin, D, 0, 1) - Math.SQRT2)).toBeLessThan(1e-12);
    }
    // Independent random directions: cos θ ~ N(0, 1/D), so the distance is 2·sqrt(1 − cos θ) ≈ 2 ± 0.03.
    for (let j = 0; j < K; j++) for (let k = j + 1; k < K; k++) expect(Math.abs(distance(means, D, j, k) - 2)).toBeLessThan(0.1);
  });

  it('rejects a simplex that does not fit and an unknown placement', () => {
    expect(() => classMeans(5, 3, 1, 'simplex', createRng(0))).toThrow('expected at least numClasses − 1 = 4, found 3');
    expect(() => classMeans(5, 3, 1, 'grid' as 'random', createRng(0))).toThrow("means: expected 'simplex' or 'random'");
  });
});
