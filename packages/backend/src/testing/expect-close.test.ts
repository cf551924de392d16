import { describe, expect, it } from 'vitest';
import { float32, int64 } from '../host-tensor.js';
import { expectClose } from './expect-close.js';

const tol = { atol: 1e-6, rtol: 1e-3 };

describe('expectClose', () => {
  it('accepts values within atol + rtol·|expected|', () => {
    expectClose([1.0009, 2e-7, -1000.9], [1, 0, -1000], tol, 'ok');
    expectClose(float32([2], [1, 2]), float32([2], [1, 2]), { atol: 0, rtol: 0 }, 'exact');
    expectClose([NaN, Infinity], [NaN, Infinity], tol, 'special values');
  });

  it('reports the count, the worst index with coordinates, both values and the tolerance', () => {
    const actual = float32([2, 2], [1, 2.01, 3.5, 4]);
    const expected = float32([2, 2], [1, 2, 3, 4]);
    expect(() => expectClose(actual, expected, tol, 'W')).toThrow(/^W: 2 of 4 elements differ beyond atol 1e-6, rtol 0.001; worst at index 2 \[1, 0\]: actual 3.5, expected 3 \(\|diff\| 5.000e-1 > 3.001e-3\)$/);
  });

  it('rejects NaN against a number, differing shapes, dtypes and lengths, and inexact integers', () => {
    expect(() => expectClose([NaN], [1], tol, 'nan')).toThrow(/nan: 1 of 1/);
    expect(() => expectClose([1], [NaN], tol, 'nan')).toThrow(/nan: 1 of 1/);
    expect(() => expectClose(float32([2, 1], [1, 2]), float32([1, 2], [1, 2]), tol, 's')).toThrow(/s: shape \[2, 1\], expected \[1, 2\]/);
    expect(() => expectClose(int64([1], [1]), float32([1], [1]), tol, 'd')).toThrow(/d: dtype int64, expected float32/);
    expect(() => expectClose([1, 2], [1], tol, 'n')).toThrow(/n: 2 elements, expected 1/);
    expect(() => expectClose(int64([2], [5, 6]), int64([2], [5, 7]), { atol: 10, rtol: 1 }, 'i')).toThrow(/i: 1 of 2 elements .*exact dtype.*actual 6, expected 7/);
  });
});
