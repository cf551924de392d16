/**
 * Singular values of the n×n upper bidiagonal matrix with diagonal `d` and superdiagonal `e` (length n−1),
 * by the implicitly shifted QR iteration of Golub and Kahan with the LINPACK deflation tests (as in dsvdc).
 * Absolute accuracy is a small multiple of ε·‖B‖. Internal to the package.
 *
 * @param d diagonal, overwritten. @param e superdiagonal, overwritten.
 * @returns the singular values in descending order (the array `d`, sorted).
 * @throws Error if the iteration does not converge (not expected for finite input).
 */
export function bidiagonalSingularValues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  const s = d;
  const f64 = new Float64Array(n);
  f64.set(e.subarray(0, Math.max(n - 1, 0)));
  const sup = f64; // sup[n−1] = 0 by construction
  const eps = 2 ** -52;
  const tiny = 2 ** -966;
  let p = n;
  let iterations = 0;
  const maxIterations = 75 * n + 100;
  while (p > 0) {
    if (iterations > maxIterations) throw new Error('bidiagonalSingularValues: QR iteration did not converge');
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(sup[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        sup[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(sup[ks]) : 0) + (ks !== k + 1 ? Math.abs(sup[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3;
      } else if (ks === p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // s[p−1] is negligible: chase sup[p−2] up with rotations from the right.
      let f = sup[p - 2];
      sup[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * sup[j - 1];
          sup[j - 1] = cs * sup[j - 1];
        }
      }
    } else if (kase === 2) {
      // s[k−1] is negligible: split, chasing sup[k−1] down with rotations from the left.
      let f = sup[k - 1];
      sup[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * sup[j];
        sup[j] = cs * sup[j];
      }
    } else if (kase === 3) {
      iterations++;
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(sup[p - 2]), Math.abs(s[k]), Math.abs(sup[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = sup[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = sup[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) sup[j - 1] = t;
        f = cs * s[j] + sn * sup[j];
        sup[j] = cs * sup[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        t = hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * sup[j] + sn * s[j + 1];
        s[j + 1] = -sn * sup[j] + cs * s[j + 1];
        g = sn * sup[j + 1];
        sup[j + 1] = cs * sup[j + 1];
      }
      sup[p - 2] = f;
    } else {
      // Converged: s[k] is a singular value (make it non-negative).
      if (s[k] < 0) s[k] = -s[k];
      p--;
    }
  }
  s.sort();
  s.reverse();
  return s;
}

/** √(a²+b²) without Math.hypot's overhead; rescales only when squaring would overflow or underflow. */
function hypot(a: number, b: number): number {
  const absA = Math.abs(a);
  const absB = Math.abs(b);
  const big = absA > absB ? absA : absB;
  if (big === 0) return 0;
  if (big > 1e150 || big < 1e-150) {
    const small = absA > absB ? absB : absA;
    const r = small / big;
    return big * Math.sqrt(1 + r * r);
  }
  return Math.sqrt(a * a + b * b);
}
