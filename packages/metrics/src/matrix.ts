/**
 * A dense float64 matrix stored row-major: entry (i, j) is `data[i * cols + j]`.
 * A weight matrix W is m×n with m = rows (outputs) and n = cols (inputs).
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * Creates a rows×cols matrix, zero-filled or copied from `data` (any numeric array of length rows·cols).
 * @throws RangeError if a dimension is not a non-negative integer or `data` has the wrong length.
 */
export function createMatrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  checkDimensions(rows, cols, 'createMatrix');
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new RangeError(`createMatrix: data has length ${data.length}, expected ${rows}·${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: Float64Array.from(data) };
}

/**
 * Copies a row-major float32 buffer (as downloaded from a backend) into a float64 Matrix.
 * @throws RangeError if `data.length !== rows * cols`.
 */
export function fromFloat32(data: Float32Array, rows: number, cols: number): Matrix {
  checkDimensions(rows, cols, 'fromFloat32');
  if (data.length !== rows * cols) {
    throw new RangeError(`fromFloat32: data has length ${data.length}, expected ${rows}·${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: Float64Array.from(data) };
}

/** Returns Wᵀ as a new matrix. */
export function transpose(W: Matrix): Matrix {
  const { rows: m, cols: n, data } = W;
  const out = new Float64Array(m * n);
  // Blocked so that both the read and the write stay within a few cache lines.
  const block = 32;
  for (let i0 = 0; i0 < m; i0 += block) {
    const i1 = Math.min(m, i0 + block);
    for (let j0 = 0; j0 < n; j0 += block) {
      const j1 = Math.min(n, j0 + block);
      for (let i = i0; i < i1; i++) {
        const rowOffset = i * n;
        for (let j = j0; j < j1; j++) out[j * m + i] = data[rowOffset + j];
      }
    }
  }
  return { rows: n, cols: m, data: out };
}

/** Frobenius norm ‖W‖_F, computed with scaling so that it neither overflows nor underflows. */
export function frobeniusNormOf(W: Matrix): number {
  return euclideanNorm(W.data, 0, W.data.length);
}

/** ‖x[start:end]‖₂ with scaling (safe for entries near the float64 range limits). */
export function euclideanNorm(x: ArrayLike<number>, start: number, end: number): number {
  let maxAbs = 0;
  for (let i = start; i < end; i++) {
    const a = Math.abs(x[i]);
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return maxAbs;
  let sum = 0;
  if (maxAbs > 1e-150 && maxAbs < 1e150) {
    for (let i = start; i < end; i++) sum += x[i] * x[i];
    return Math.sqrt(sum);
  }
  const inverse = 1 / maxAbs;
  for (let i = start; i < end; i++) {
    const a = x[i] * inverse;
    sum += a * a;
  }
  return maxAbs * Math.sqrt(sum);
}

/** Throws a RangeError naming `caller` unless both dimensions are non-negative integers. */
export function checkDimensions(rows: number, cols: number, caller: string): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`${caller}: dimensions must be non-negative integers, got ${rows}×${cols}`);
  }
}

/** Throws a RangeError naming `caller` unless `W.data.length === W.rows * W.cols`. */
export function checkMatrix(W: Matrix, caller: string): void {
  checkDimensions(W.rows, W.cols, caller);
  if (W.data.length !== W.rows * W.cols) {
    throw new RangeError(`${caller}: matrix data has length ${W.data.length}, expected ${W.rows}·${W.cols}`);
  }
}
