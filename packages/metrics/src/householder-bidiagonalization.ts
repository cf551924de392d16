/**
 * Householder reduction of a row-major m×n matrix with m ≤ n to lower bidiagonal form B = U₁ᵀ A V₁
 * (values only: the reflectors are not kept). Internal to the package.
 *
 * Step k applies a right reflector built from row k (zeroing A[k, k+1:]) and then a left reflector built from
 * column k (zeroing A[k+2:, k]). The two updates of step k and the product uᵀA needed by the next left
 * reflector are fused into a single pass over the trailing rows, so each step streams the trailing matrix
 * through the cache once instead of three times (the reduction is memory-bound otherwise).
 *
 * @param a row-major m×n data, overwritten.
 * @returns the diagonal d (length m) and subdiagonal e (length m−1) of B; σ(B) = σ(A).
 */
export function bidiagonalizeWide(a: Float64Array, m: number, n: number): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(m);
  const e = new Float64Array(Math.max(m - 1, 0));
  const w = new Float64Array(n); // row vector uᵀA of the pending left reflector, columns k..n−1
  const z = new Float64Array(n); // Σ_{i≥k+2} a_i · row_i, to form the next w without another pass
  const v = new Float64Array(n); // right reflector, v[k] = 1
  const u = new Float64Array(m); // left reflector, u[k+1] = 1
  const column = new Float64Array(m);
  let tauLeft = 0;
  for (let k = 0; k < m; k++) {
    const rowK = k * n;
    // Pending left reflector of step k−1 on row k (its u entry is 1).
    if (tauLeft !== 0) {
      for (let j = k; j < n; j++) a[rowK + j] -= tauLeft * w[j];
    }
    // Right reflector from x = A[k, k:].
    const x0 = a[rowK + k];
    let tailSquares = 0;
    for (let j = k + 1; j < n; j++) tailSquares += a[rowK + j] * a[rowK + j];
    let tauRight = 0;
    if (tailSquares === 0) {
      d[k] = x0;
    } else {
      const norm = Math.sqrt(x0 * x0 + tailSquares);
      const beta = x0 <= 0 ? norm : -norm;
      tauRight = (beta - x0) / beta;
      const scale = 1 / (x0 - beta);
      v[k] = 1;
      for (let j = k + 1; j < n; j++) v[j] = a[rowK + j] * scale;
      d[k] = beta;
    }
    if (k === m - 1) break;
    z.fill(0, k + 1, n);
    for (let i = k + 1; i < m; i++) {
      const rowI = i * n;
      const c1 = tauLeft * u[i];
      let dot = 0;
      if (c1 !== 0) {
        for (let j = k; j < n; j++) {
          const t = a[rowI + j] - c1 * w[j];
          a[rowI + j] = t;
          dot += t * v[j];
        }
      } else if (tauRight !== 0) {
        for (let j = k; j < n; j++) dot += a[rowI + j] * v[j];
      }
      const c2 = tauRight * dot;
      const ai = a[rowI + k] - c2;
      a[rowI + k] = ai;
      column[i] = ai;
      if (i === k + 1) {
        if (c2 !== 0) for (let j = k + 1; j < n; j++) a[rowI + j] -= c2 * v[j];
      } else if (c2 !== 0) {
        for (let j = k + 1; j < n; j++) {
          const t = a[rowI + j] - c2 * v[j];
          a[rowI + j] = t;
          z[j] += ai * t;
        }
      } else if (ai !== 0) {
        for (let j = k + 1; j < n; j++) z[j] += ai * a[rowI + j];
      }
    }
    // Left reflector from the column A[k+1:, k]; w = uᵀ A[k+1:, k+1:] = row_{k+1} + s·z.
    const y0 = column[k + 1];
    let columnSquares = 0;
    for (let i = k + 2; i < m; i++) columnSquares += column[i] * column[i];
    if (columnSquares === 0) {
      tauLeft = 0;
      e[k] = y0;
    } else {
      const norm = Math.sqrt(y0 * y0 + columnSquares);
      const beta = y0 <= 0 ? norm : -norm;
      tauLeft = (beta - y0) / beta;
      const s = 1 / (y0 - beta);
      u[k + 1] = 1;
      for (let i = k + 2; i < m; i++) u[i] = column[i] * s;
      const rowNext = (k + 1) * n;
      for (let j = k + 1; j < n; j++) w[j] = a[rowNext + j] + s * z[j];
      e[k] = beta;
    }
  }
  return { d, e };
}
