import { createRng, type Rng } from '@rank-collapse/backend';
import type { Matrix } from '../src/matrix.js';

/**
 * The one numeric comparison of every package's tests (`@rank-collapse/backend/testing`): element-wise
 * |actual − expected| ≤ atol + rtol·|expected|, reporting the worst entry.
 */
export { expectClose } from '@rank-collapse/backend/testing';

export function seeded(seed: number | string): Rng {
  return createRng(seed);
}

/** m×n matrix of standard normal entries. */
export function gaussianMatrix(rows: number, cols: number, rng: Rng): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}

/** n×k matrix with orthonormal columns (Gram–Schmidt twice on Gaussian columns). */
export function orthonormalColumns(n: number, k: number, rng: Rng): Matrix {
  const Q = gaussianMatrix(n, k, rng);
  const q = Q.data;
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * k + p] * q[i * k + j];
        for (let i = 0; i < n; i++) q[i * k + j] -= d * q[i * k + p];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * k + j] /= norm;
  }
  return Q;
}

/** A B (naive triple loop, the float64 reference product). */
export function multiply(A: Matrix, B: Matrix): Matrix {
  const out = new Float64Array(A.rows * B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let p = 0; p < A.cols; p++) {
      const a = A.data[i * A.cols + p];
      for (let j = 0; j < B.cols; j++) out[i * B.cols + j] += a * B.data[p * B.cols + j];
    }
  }
  return { rows: A.rows, cols: B.cols, data: out };
}

/** U diag(s) Vᵀ for U (m×k) and V (n×k) with orthonormal columns: a matrix whose singular values are |s|. */
export function fromFactors(U: Matrix, s: ArrayLike<number>, V: Matrix): Matrix {
  const scaled = Float64Array.from(U.data);
  for (let i = 0; i < U.rows; i++) for (let j = 0; j < U.cols; j++) scaled[i * U.cols + j] *= s[j];
  const Vt: Matrix = { rows: V.cols, cols: V.rows, data: new Float64Array(V.data.length) };
  for (let i = 0; i < V.rows; i++) for (let j = 0; j < V.cols; j++) Vt.data[j * V.rows + i] = V.data[i * V.cols + j];
  return multiply({ rows: U.rows, cols: U.cols, data: scaled }, Vt);
}

/** ‖X‖_F by the plain sum of squares. */
export function frobenius(X: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < X.length; i++) s += X[i] * X[i];
  return Math.sqrt(s);
}
