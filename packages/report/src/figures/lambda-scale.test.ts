import { describe, expect, it } from 'vitest';
import { formatLambda, lambdaScale } from './lambda-scale.js';

describe('lambdaScale', () => {
  it('puts λ = 0 one decade below the smallest positive λ, with a break between', () => {
    const scale = lambdaScale([0, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(scale.zeroPosition).toBeCloseTo(1e-6, 20);
    expect(scale.position(0)).toBe(scale.zeroPosition);
    expect(scale.position(1e-3)).toBe(1e-3);
    expect(scale.ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    // The break lies strictly between the zero position and the smallest positive λ (geometric middle).
    expect(scale.breakPosition).toBeCloseTo(Math.sqrt(1e-6 * 1e-5), 20);
    expect(scale.domain[0]).toBeLessThan(1e-6);
    expect(scale.domain[1]).toBeGreaterThan(1e-2);
  });

  it('rounds non-decade λ outward to whole decades', () => {
    const scale = lambdaScale([0, 3.16e-5, 3.16e-3]);
    expect(scale.zeroPosition).toBeCloseTo(1e-6, 20);
    expect(scale.ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(scale.domain[1]).toBeGreaterThan(1e-2);
  });

  it('has no zero position when no λ is 0, and ignores negative and non-finite values', () => {
    const scale = lambdaScale([1e-4, 1e-2, -1, Number.NaN, Infinity]);
    expect(scale.zeroPosition).toBeNull();
    expect(scale.breakPosition).toBeNull();
    expect(scale.ticks).toEqual([1e-4, 1e-3, 1e-2]);
  });

  it('gives a valid axis when every λ is 0', () => {
    const scale = lambdaScale([0, 0]);
    expect(scale.zeroPosition).toBeGreaterThan(0);
    expect(scale.domain[0]).toBeLessThan(scale.zeroPosition as number);
    expect(scale.domain[1]).toBeGreaterThan(scale.zeroPosition as number);
    expect(scale.ticks).toEqual([scale.zeroPosition]);
  });
});

describe('formatLambda', () => {
  it('writes short exponents', () => {
    expect(formatLambda(0)).toBe('0');
    expect(formatLambda(1e-5)).toBe('1e-5');
    expect(formatLambda(10 ** -3.5)).toBe('3.16e-4');
    expect(formatLambda(0.01)).toBe('1e-2');
  });
});
