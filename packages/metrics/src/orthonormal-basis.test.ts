import { describe, expect, it } from 'vitest';
import { expectClose, gaussianMatrix, multiply, seeded } from '../test/numeric.js';
import { orthonormalRowBasis } from './orthonormal-basis.js';

describe('orthonormalRowBasis', () => {
  it('finds the dimension of a rank-deficient span, with orthonormal rows that span it', () => {
    const rng = seeded('basis');
    const vectors = multiply(gaussianMatrix(5, 2, rng), gaussianMatrix(2, 9, rng)); // 5 vectors in a plane
    const Q = orthonormalRowBasis(vectors);
    expect(Q.rows).toBe(2);
    const gram = multiply(Q, { rows: 9, cols: 2, data: Float64Array.from({ length: 18 }, (_, t) => Q.data[(t % 2) * 9 + Math.floor(t / 2)]) });
    expectClose(gram.data, [1, 0, 0, 1], { atol: 1e-15, rtol: 0 }, 'QQᵀ');
    for (let i = 0; i < 5; i++) {
      // v − QᵀQ v = 0 for every input vector.
      const v = vectors.data.subarray(i * 9, i * 9 + 9);
      const residual = Float64Array.from(v);
      for (let q = 0; q < 2; q++) {
        let c = 0;
        for (let j = 0; j < 9; j++) c += Q.data[q * 9 + j] * v[j];
        for (let j = 0; j < 9; j++) residual[j] -= c * Q.data[q * 9 + j];
      }
      expectClose(residual, new Array(9).fill(0), { atol: 1e-13, rtol: 0 }, `residual ${i}`);
    }
  });

  it('drops directions below the relative tolerance and returns none for zero input', () => {
    const nearlyDependent = { rows: 2, cols: 2, data: Float64Array.from([1, 0, 1, 1e-12]) };
    expect(orthonormalRowBasis(nearlyDependent).rows).toBe(1);
    expect(orthonormalRowBasis(nearlyDependent, 1e-14).rows).toBe(2);
    expect(orthonormalRowBasis({ rows: 3, cols: 2, data: new Float64Array(6) }).rows).toBe(0);
  });
});
