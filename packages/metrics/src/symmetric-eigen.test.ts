import { describe, expect, it } from 'vitest';
import { expectClose, seeded } from '../test/numeric.js';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it.each([1, 2, 5, 40])('diagonalizes a random symmetric %i×%i matrix with orthonormal eigenvectors', (n) => {
    const rng = seeded(`eig-${n}`);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(A, n);
    for (let j = 1; j < n; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
    const residual: number[] = [];
    const gram: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k] * vectors[j * n + k];
        residual.push(s - values[j] * vectors[j * n + i]);
        let g = 0;
        for (let k = 0; k < n; k++) g += vectors[j * n + k] * vectors[i * n + k];
        gram.push(g - (i === j ? 1 : 0));
      }
    }
    expectClose(residual, new Array(n * n).fill(0), { atol: 1e-13 * n, rtol: 0 }, 'A v − λ v');
    expectClose(gram, new Array(n * n).fill(0), { atol: 1e-14 * n, rtol: 0 }, 'VᵀV − I');
  });

  it('handles repeated and zero eigenvalues', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 0, 0, 0, 2, 0, 0, 0, 0]), 3);
    expectClose(values, [2, 2, 0], { atol: 1e-15, rtol: 0 }, 'values');
  });
});
