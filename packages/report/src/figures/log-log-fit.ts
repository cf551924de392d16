/**
 * Ordinary least squares on log10 y = a + b·log10 x: the slope b with its two-sided confidence interval
 * (Student t, n − 2 degrees of freedom), the intercept and R². Used by the proportionality figure.
 */

/** A fit of log10 y against log10 x. */
export interface LogLogFit {
  /** Points used (x > 0 and y > 0, finite). */
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope; null when n < 3. */
  slopeStandardError: number | null;
  /** The slope's confidence interval at `level`; null when n < 3. */
  slopeInterval: [number, number] | null;
  level: number;
  /** 1 − SS_res/SS_tot of the log values; null when every log y is equal. */
  rSquared: number | null;
}

/**
 * Fits log10 y = a + b·log10 x to the positive, finite points. Returns null with fewer than 2 usable points or
 * when every x is the same.
 * @param level confidence level of the slope interval (default 0.95).
 */
export function logLogFit(points: ReadonlyArray<{ x: number; y: number }>, level = 0.95): LogLogFit | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  const n = usable.length;
  if (n < 2) return null;
  const u = usable.map((p) => Math.log10(p.x));
  const v = usable.map((p) => Math.log10(p.y));
  const mu = u.reduce((s, x) => s + x, 0) / n;
  const mv = v.reduce((s, x) => s + x, 0) / n;
  let suu = 0;
  let suv = 0;
  let svv = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i] - mu) ** 2;
    suv += (u[i] - mu) * (v[i] - mv);
    svv += (v[i] - mv) ** 2;
  }
  if (!(suu > 0)) return null;
  const slope = suv / suu;
  const intercept = mv - slope * mu;
  let residual = 0;
  for (let i = 0; i < n; i++) residual += (v[i] - intercept - slope * u[i]) ** 2;
  const slopeStandardError = n > 2 ? Math.sqrt(residual / (n - 2) / suu) : null;
  const half = slopeStandardError === null ? null : studentTQuantile((1 + level) / 2, n - 2) * slopeStandardError;
  return {
    n,
    slope,
    intercept,
    slopeStandardError,
    slopeInterval: half === null ? null : [slope - half, slope + half],
    level,
    rSquared: svv > 0 ? 1 - residual / svv : null,
  };
}

/** The p-quantile (0 < p < 1) of Student's t with ν > 0 degrees of freedom, by bisection on its CDF. */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu > 0)) throw new RangeError(`studentTQuantile: need 0 < p < 1 and ν > 0, got p = ${p}, ν = ${nu}`);
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, nu) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, nu) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** CDF of Student's t: for t ≥ 0, 1 − I_{ν/(ν+t²)}(ν/2, 1/2)/2. */
export function studentTCdf(t: number, nu: number): number {
  const tail = regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b) by the continued fraction of Numerical Recipes (betacf), using the symmetry for fast convergence. */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
function logGamma(x: number): number {
  const g = 7;
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0];
  for (let i = 1; i < g + 2; i++) sum += coefficients[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
