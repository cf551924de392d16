import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/numeric.js';
import cases from './__fixtures__/spectral-metrics.json' with { type: 'json' };
import { effectiveRank } from './effective-rank.js';
import { rankForEnergy } from './rank-for-energy.js';
import { singularValues } from './singular-values.js';
import { SPECTRAL_METRIC_FIELDS, spectralMetrics } from './spectral-metrics.js';
import { tail } from './spectral-tail.js';

describe('spectralMetrics', () => {
  it.each(cases.map((c) => [c.name, c] as const))('matches numpy on %s', (_name, c) => {
    const sigma = singularValues({ rows: c.matrix.rows, cols: c.matrix.cols, data: Float64Array.from(c.matrix.data) });
    const metrics = spectralMetrics(sigma, { K: c.K });
    for (const field of SPECTRAL_METRIC_FIELDS) {
      expectClose(metrics[field], c.expected[field], { atol: 1e-12, rtol: 1e-9 }, field);
    }
  });

  it('follows the closed forms on a known spectrum', () => {
    const sigma = [4, 3, 2e-3, 1e-4, 0];
    const metrics = spectralMetrics(sigma, { K: 2 });
    const fro = Math.sqrt(16 + 9 + 4e-6 + 1e-8);
    expectClose(metrics.frobeniusNorm, fro, { atol: 0, rtol: 1e-15 }, 'frobeniusNorm');
    expectClose(metrics.tailK, Math.sqrt(4e-6 + 1e-8), { atol: 0, rtol: 1e-15 }, 'tailK');
    expect(metrics.numericalRank).toBe(2); // σ_3 = 2e-3 is below 1e-3·σ_1 = 4e-3
    expect(metrics.normalizedRank).toBe(2);
    expect(metrics.energyRank).toBe(2);
    expectClose(metrics.stableRank, fro ** 2 / 16, { atol: 0, rtol: 1e-15 }, 'stableRank');
    expect(spectralMetrics(sigma, { K: 2, rankTolerance: 1e-4 }).numericalRank).toBe(3);
    expect(spectralMetrics(sigma, { K: 2, energyEpsilon: 0 }).energyRank).toBe(4);
  });

  it('gives 0 for every field of the zero matrix and validates its input', () => {
    const metrics = spectralMetrics([0, 0, 0], { K: 1 });
    for (const field of SPECTRAL_METRIC_FIELDS) expect(metrics[field], field).toBe(0);
    expect(() => spectralMetrics([1, 2], { K: 1 })).toThrow(RangeError);
    expect(() => spectralMetrics([1], { K: -1 })).toThrow(RangeError);
  });
});

describe('tail, rankForEnergy, effectiveRank', () => {
  it('tail is the Eckart–Young distance', () => {
    expectClose(tail([5, 3, 4], 1), 5, { atol: 0, rtol: 1e-15 }, 'tail');
    expect(tail([5, 3], 2)).toBe(0);
    expect(tail([5, 3], 7)).toBe(0);
    expect(() => tail([1], 0.5)).toThrow(RangeError);
  });

  it('rankForEnergy keeps (1−ε) of the energy exactly at the boundary', () => {
    expect(rankForEnergy([3, 2, 1], 1 / 14)).toBe(2); // τ_2² = 1 = ε·14
    expect(rankForEnergy([3, 2, 1], 0.9 / 14)).toBe(3);
    expect(rankForEnergy([3, 2, 1], 1)).toBe(0);
    expect(rankForEnergy([0, 0], 0.1)).toBe(0);
    expect(() => rankForEnergy([1], 2)).toThrow(RangeError);
  });

  it('effectiveRank is exp(entropy) of the normalized spectrum', () => {
    expectClose(effectiveRank([2, 2, 2, 2]), 4, { atol: 0, rtol: 1e-15 }, 'flat');
    expectClose(effectiveRank([1, 0, 0]), 1, { atol: 0, rtol: 1e-15 }, 'rank one');
    const p = [0.75, 0.25];
    expectClose(effectiveRank([3, 1]), Math.exp(-(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]))), { atol: 0, rtol: 1e-15 }, 'two');
    expect(effectiveRank([])).toBe(0);
  });
});
