import { describe, expect, it } from 'vitest';
import { gatherAxes } from './gather-axes.js';

// A 2 × 3 × 4 tensor whose value at (i, j, k) is 100i + 10j + k, so every gathered entry names its source.
const shape = [2, 3, 4];
const values = Float64Array.from({ length: 24 }, (_, n) => 100 * Math.floor(n / 12) + 10 * (Math.floor(n / 4) % 3) + (n % 4));

describe('gatherAxes', () => {
  it('reads rows over one axis and columns over another, other axes fixed', () => {
    // Axis 2 as rows, axis 1 as columns, axis 0 held at 1: entry (k, j) = 100 + 10j + k.
    const m = gatherAxes(values, shape, [2], [1], new Map([[0, 1]]));
    expect(Array.from(m)).toEqual([100, 110, 120, 101, 111, 121, 102, 112, 122, 103, 113, 123]);
  });

  it('flattens several axes in the order given, and permutes a whole tensor with no columns', () => {
    const m = gatherAxes(values, shape, [0], [2, 1]);
    expect(m.length).toBe(24);
    expect(Array.from(m.subarray(0, 6))).toEqual([0, 10, 20, 1, 11, 21]);
    const permuted = gatherAxes(values, shape, [1, 0, 2], []);
    expect(Array.from(permuted.subarray(4, 8))).toEqual([100, 101, 102, 103]);
  });

  it('keeps the array type', () => {
    expect(gatherAxes(Float32Array.from(values), shape, [0], [1, 2])).toBeInstanceOf(Float32Array);
  });
});
