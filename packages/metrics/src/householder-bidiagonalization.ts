import type { ReductionKernels } from './reduction-kernels.js';

/**
 * Householder reduction of a row-major m×n matrix with m ≤ n to lower bidiagonal form B = U₁ᵀ A V₁
 * (values only: the reflectors are not kept). Internal to the package.
 *
 * Step k applies a right reflector built from row k (zeroing A[k, k+1:]) and then a left reflector built from
 * column k (zeroing A[k+2:, k]). Both updates and the product uᵀA needed by the next left reflector are fused
 * into one pass over the trailing rows (`kernels.bidiagonalRows`): u = (a − β e₁)/(a₀ − β) is a combination of
 * the column a and e₁, so uᵀA = row_{k+1} + (Σ_{i≥k+2} a_i row_i)/(a₀ − β) can be accumulated while the rows
 * stream by. Each step thus reads and writes the trailing matrix once instead of three times.
 *
 * @param source row-major m×n data (not modified).
 * @returns the diagonal d (length m) and subdiagonal e (length m−1) of B; σ(B) = σ(A).
 */
export function bidiagonalizeWide(
  source: Float64Array,
  m: number,
  n: number,
  kernels: ReductionKernels,
): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(m);
  const e = new Float64Array(Math.max(m - 1, 0));
  // Working memory: A, then w (uᵀA of the pending left reflector), z (Σ a_i row_i), v (right reflector, v[k] = 1),
  // u (left reflector, u[k+1] = 1) and the saved column.
  const A = 0;
  const w = A + m * n;
  const z = w + n;
  const v = z + n;
  const u = v + n;
  const column = u + m;
  const heap = kernels.reserve(column + m, n);
  heap.set(source, A);
  heap.fill(0, w, column + m);
  let tauLeft = 0;
  for (let k = 0; k < m; k++) {
    const rowK = A + k * n;
    if (tauLeft !== 0) {
      for (let j = k; j < n; j++) heap[rowK + j] -= tauLeft * heap[w + j];
    }
    const x0 = heap[rowK + k];
    let tailSquares = 0;
    for (let j = k + 1; j < n; j++) tailSquares += heap[rowK + j] * heap[rowK + j];
    let tauRight = 0;
    heap.fill(0, v + k, v + n);
    if (tailSquares === 0) {
      d[k] = x0;
    } else {
      const norm = Math.sqrt(x0 * x0 + tailSquares);
      const beta = x0 <= 0 ? norm : -norm;
      tauRight = (beta - x0) / beta;
      const scale = 1 / (x0 - beta);
      heap[v + k] = 1;
      for (let j = k + 1; j < n; j++) heap[v + j] = heap[rowK + j] * scale;
      d[k] = beta;
    }
    if (k === m - 1) break;
    let wv = 0;
    if (tauLeft !== 0) for (let j = k; j < n; j++) wv += heap[w + j] * heap[v + j];
    heap.fill(0, z + k + 1, z + n);
    kernels.bidiagonalRows(A, n, k, k + 1, m, w, v, z, u, column, tauLeft, tauRight, wv);
    const y0 = heap[column + k + 1];
    let columnSquares = 0;
    for (let i = k + 2; i < m; i++) columnSquares += heap[column + i] * heap[column + i];
    if (columnSquares === 0) {
      tauLeft = 0;
      e[k] = y0;
      continue;
    }
    const norm = Math.sqrt(y0 * y0 + columnSquares);
    const beta = y0 <= 0 ? norm : -norm;
    tauLeft = (beta - y0) / beta;
    const s = 1 / (y0 - beta);
    heap[u + k + 1] = 1;
    for (let i = k + 2; i < m; i++) heap[u + i] = heap[column + i] * s;
    const rowNext = A + (k + 1) * n;
    for (let j = k + 1; j < n; j++) heap[w + j] = heap[rowNext + j] + s * heap[z + j];
    e[k] = beta;
  }
  return { d, e };
}
