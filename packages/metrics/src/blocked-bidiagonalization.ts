import type { ReductionKernels } from './reduction-kernels.js';

const roundUp4 = (x: number): number => (x + 3) & ~3;

/** Steps per block: the deferred updates of a block are applied to the trailing matrix at once (rank 2·BLOCK). */
const BLOCK = 16;

/**
 * Householder reduction of a row-major m×n matrix with m ≤ n to lower bidiagonal form, values only, with the
 * updates of each block of BLOCK steps deferred (LAPACK's dlabrd, reorganized). Internal to the package.
 *
 * Step k builds a right reflector (τ_R, v) from row k and a left reflector (τ_L, u) from column k, as
 * bidiagonalizeWide does; the matrix is then A − Σ (x_t v_tᵀ + u_t y_tᵀ) over the block's earlier steps t, with
 * x_t = τ_R A v_t and y_t = τ_L Aᵀ u_t. Instead of writing that into the trailing matrix every step, a step reads
 * the not yet updated rows once (`kernels.deferredPass`: A_i·v_k and Σ c_i A_i in the same visit of row i) and
 * corrects with the block's vectors; at the end of a block one rank-2·BLOCK update (`kernels.rankUpdate`) writes
 * all of them. Each step thus reads the trailing matrix once and writes nothing, where the unblocked reduction
 * reads and writes it: half the memory traffic, the same arithmetic, the same backward stability.
 *
 * Working memory (doubles): A (m·n); Q (2·BLOCK rows of n, stride qs: v_t, then y_t); P (m rows of 2·BLOCK: x_t[i], then
 * u_t[i]); z (n); column (m); wsum, coefA, coefB (2·BLOCK each).
 *
 * @param source row-major m×n data (not modified).
 * @returns the diagonal d (length m) and subdiagonal e (length m−1) of B; σ(B) = σ(A).
 */
export function bidiagonalizeWideBlocked(
  source: Float64Array,
  m: number,
  n: number,
  kernels: ReductionKernels,
): { d: Float64Array; e: Float64Array } {
  const T = 2 * BLOCK;
  const d = new Float64Array(m);
  const e = new Float64Array(Math.max(m - 1, 0));
  const A = 0;
  // Rows of Q a little longer than n: with a stride of a multiple of 4 KiB, the 2·BLOCK rows that a rank
  // update reads together would fall into the same L1 cache set.
  const qs = n + ((n + 4) % 512 === 0 ? 12 : 4);
  const Q = A + m * n;
  const P = Q + T * qs;
  const z = P + m * T;
  const column = z + n;
  const wsum = column + m;
  const coefA = wsum + T;
  const coefB = coefA + T;
  const end = coefB + T;
  const heap = kernels.reserve(end, n + T);
  // Only the block's first steps have vectors yet: row −= Σ P_i[t] Q_t over the first `vs` v-rows and the
  // first roundUp4(kk) y-rows (the others are zero), in groups of four.
  let kk = 0;
  const updateActive = (rows: number, rowStride: number, r0: number, r1: number, j0: number, length: number, p: number, pStride: number, vs: number): void => {
    kernels.rankUpdate(rows, rowStride, r0, r1, j0, length, Q, qs, p, pStride, vs);
    const ys = roundUp4(kk);
    if (ys > 0) kernels.rankUpdate(rows, rowStride, r0, r1, j0, length, Q + BLOCK * qs, qs, p + BLOCK, pStride, ys);
  };
  heap.set(source, A);
  heap.fill(0, Q, end);
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const k1 = Math.min(m, k0 + BLOCK);
    for (let k = k0; k < k1; k++) {
      kk = k - k0;
      const rowK = A + k * n;
      // Row k as it stands after the block's earlier steps (in place: nothing reads it again).
      if (kk > 0) updateActive(A, n, k, k + 1, k, n - k, P, T, roundUp4(kk));
      const x0 = heap[rowK + k];
      let tailSquares = 0;
      for (let j = k + 1; j < n; j++) tailSquares += heap[rowK + j] * heap[rowK + j];
      const v = Q + kk * qs;
      let tauRight = 0;
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
      // Corrections of the pass: coefA_t = Q_t·v_k, coefB_t = Q_t[k] (rows of later steps are still zero).
      heap.fill(0, coefA, coefA + T);
      if (tauRight !== 0 && kk > 0) {
        kernels.dotsWith(v + k, Q + k, qs, roundUp4(kk), n - k, coefA);
        kernels.dotsWith(v + k, Q + BLOCK * qs + k, qs, roundUp4(kk), n - k, coefA + BLOCK);
      }
      for (let t = 0; t < T; t++) heap[coefB + t] = heap[Q + t * qs + k];
      heap.fill(0, z + k + 1, z + n);
      heap.fill(0, wsum, wsum + T);
      kernels.deferredPass(A, n, k, k + 1, m, v, P, T, kk, coefA, coefB, tauRight, column, z, wsum);
      // Left reflector from the column: u[k+1] = 1, u[i] = s·c_i below.
      const y0 = heap[column + k + 1];
      let columnSquares = 0;
      for (let i = k + 2; i < m; i++) columnSquares += heap[column + i] * heap[column + i];
      if (columnSquares === 0) {
        e[k] = y0;
        continue; // τ_L = 0: u_k and y_k stay zero
      }
      const norm = Math.sqrt(y0 * y0 + columnSquares);
      const beta = y0 <= 0 ? norm : -norm;
      const tauLeft = (beta - y0) / beta;
      const s = 1 / (y0 - beta);
      e[k] = beta;
      // y_k = τ_L (current row k+1 + s·Σ_{i≥k+2} c_i (current row i)) on columns k+1.., with current rows
      // A_i − Σ_t P_i[t] Q_t: the A part is A_{k+1} + s·z, the correction uses ŵ_t = P_{k+1}[t] + s·wsum_t.
      const y = Q + (BLOCK + kk) * qs;
      const rowNext = A + (k + 1) * n;
      for (let j = k + 1; j < n; j++) heap[y + j] = heap[rowNext + j] + s * heap[z + j];
      for (let t = 0; t < T; t++) heap[wsum + t] = heap[P + (k + 1) * T + t] + s * heap[wsum + t];
      updateActive(y, 0, 0, 1, k + 1, n - k - 1, wsum, 0, roundUp4(kk + 1));
      for (let j = k + 1; j < n; j++) heap[y + j] *= tauLeft;
      heap[P + (k + 1) * T + BLOCK + kk] = 1;
      for (let i = k + 2; i < m; i++) heap[P + i * T + BLOCK + kk] = s * heap[column + i];
    }
    if (k1 === m) break;
    // The block's deferred updates, written into the trailing rows and columns at once.
    kernels.rankUpdate(A, n, k1, m, k1, n - k1, Q, qs, P, T, T);
    heap.fill(0, Q, z);
  }
  return { d, e };
}
