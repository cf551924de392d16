import { describe, expect, it } from 'vitest';
import { oneHot } from './one-hot.js';

describe('oneHot', () => {
  it('puts a single 1 in each row at the label column', () => {
    expect(Array.from(oneHot(new Int32Array([2, 0, 1]), 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(oneHot([], 4)).toHaveLength(0);
  });

  it('rejects labels outside 0..K-1 and a bad K', () => {
    expect(() => oneHot([0, 3], 3)).toThrow('label 1: expected an integer in 0..2, found 3');
    expect(() => oneHot([0.5], 3)).toThrow('found 0.5');
    expect(() => oneHot([0], 0)).toThrow('numClasses: expected an integer ≥ 1, found 0');
  });
});
