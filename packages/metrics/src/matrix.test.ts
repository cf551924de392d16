import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/numeric.js';
import { convKernelAsMatrix } from './conv-kernel-as-matrix.js';
import { createMatrix, euclideanNorm, fromFloat32, transpose } from './matrix.js';

describe('Matrix helpers', () => {
  it('fromFloat32 widens exactly and checks the length', () => {
    const W = fromFloat32(Float32Array.from([0.1, 2, 3, 4, 5, 6]), 2, 3);
    expect(W.data[0]).toBe(Math.fround(0.1));
    expect([W.rows, W.cols]).toEqual([2, 3]);
    expect(() => fromFloat32(new Float32Array(5), 2, 3)).toThrow(RangeError);
    expect(() => createMatrix(-1, 2)).toThrow(RangeError);
  });

  it('transpose moves (i, j) to (j, i) across block boundaries', () => {
    const W = createMatrix(37, 70, Array.from({ length: 37 * 70 }, (_, t) => t));
    const T = transpose(W);
    expect([T.rows, T.cols]).toEqual([70, 37]);
    for (const [i, j] of [[0, 0], [5, 69], [36, 33], [20, 40]]) expect(T.data[j * 37 + i]).toBe(W.data[i * 70 + j]);
  });

  it('euclideanNorm is safe near the ends of the float64 range', () => {
    expectClose(euclideanNorm([3e200, 4e200], 0, 2), 5e200, { atol: 0, rtol: 1e-15 }, 'huge');
    expectClose(euclideanNorm([3e-200, 4e-200], 0, 2), 5e-200, { atol: 0, rtol: 1e-15 }, 'tiny');
  });

  it('convKernelAsMatrix reads [cOut, cIn, kh, kw] as cOut × (cIn·kh·kw) with filters as rows', () => {
    const shape = [2, 3, 2, 2] as const;
    const kernel = Float32Array.from({ length: 24 }, (_, t) => t);
    const W = convKernelAsMatrix(kernel, shape);
    expect([W.rows, W.cols]).toEqual([2, 12]);
    // Element (o, c, y, x) sits at row o, column c·4 + y·2 + x.
    expect(W.data[1 * 12 + 2 * 4 + 1 * 2 + 0]).toBe(1 * 12 + 2 * 4 + 1 * 2 + 0);
    expect(() => convKernelAsMatrix(kernel, [2, 3, 2, 3])).toThrow(RangeError);
  });
});
