import { describe, expect, it } from 'vitest';
import { logLogFit, studentTCdf, studentTQuantile } from './log-log-fit.js';

describe('studentTQuantile', () => {
  it('matches the closed forms for ν = 1 (Cauchy) and ν = 2', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      // ν = 2: t = (2p − 1)·√(2/(4p(1 − p))).
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 10);
    }
  });

  it('matches the t table (7 digits) and is symmetric', () => {
    const table: Array<[number, number, number]> = [
      [0.975, 3, 3.1824463],
      [0.975, 10, 2.2281389],
      [0.975, 30, 2.0422725],
      [0.995, 5, 4.0321430],
    ];
    for (const [p, nu, t] of table) expect(Math.abs(studentTQuantile(p, nu) - t), `ν = ${nu}`).toBeLessThan(1e-6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281389, 6);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 14);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});

describe('logLogFit', () => {
  it('recovers an exact power law y = 3·x^1.5 with R² = 1 and a zero-width interval', () => {
    const fit = logLogFit([0.1, 1, 4, 20, 300].map((x) => ({ x, y: 3 * x ** 1.5 })))!;
    expect(fit.slope).toBeCloseTo(1.5, 12);
    expect(fit.intercept).toBeCloseTo(Math.log10(3), 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.slopeInterval![1] - fit.slopeInterval![0]).toBeLessThan(1e-10);
  });

  it('matches numpy.polyfit on noisy data (slope, intercept, standard error, R²)', () => {
    // numpy: b, a = polyfit(log10 x, log10 y, 1); se = √(Σres²/(n−2)/Σ(u−ū)²); R² = 1 − Σres²/Σ(v−v̄)².
    const x = [0.3, 1.2, 2.5, 7.0, 11.0, 40.0, 90.0];
    const y = [0.02, 0.09, 0.15, 0.5, 0.6, 3.1, 5.0];
    const fit = logLogFit(x.map((xi, i) => ({ x: xi, y: y[i] })))!;
    expect(fit.n).toBe(7);
    expect(fit.slope).toBeCloseTo(0.9822902538974314, 12);
    expect(fit.intercept).toBeCloseTo(-1.1718055551071571, 12);
    expect(fit.slopeStandardError!).toBeCloseTo(0.031215705215795763, 12);
    expect(fit.rSquared!).toBeCloseTo(0.9949760044856943, 12);
    const half = studentTQuantile(0.975, 5) * 0.031215705215795763;
    expect(fit.slopeInterval![0]).toBeCloseTo(0.9822902538974314 - half, 10);
  });

  it('drops non-positive and non-finite points and needs two distinct x', () => {
    expect(logLogFit([{ x: 1, y: 1 }, { x: 0, y: 2 }, { x: 2, y: -1 }])).toBeNull();
    expect(logLogFit([{ x: 2, y: 1 }, { x: 2, y: 3 }])).toBeNull();
    const two = logLogFit([{ x: 1, y: 1 }, { x: 10, y: 100 }, { x: Infinity, y: 1 }])!;
    expect([two.n, two.slope, two.slopeInterval]).toEqual([2, 2, null]);
  });
});
