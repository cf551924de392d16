import { describe, expect, it } from 'vitest';
import { expectClose, gaussianMatrix, seeded } from '../test/numeric.js';
import fixture from './__fixtures__/certificate.json' with { type: 'json' };
import { CERTIFICATE_FIELDS, certificateTerms, createSampleBoundAccumulator, type CertificateInputs } from './certificate-terms.js';
import { createCollapseAccumulator } from './collapse-accumulator.js';
import type { Matrix } from './matrix.js';

const toMatrix = (m: { rows: number; cols: number; data: number[] }): Matrix => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });

/** Builds consistent certificate inputs from per-sample δ (N×m) and h (N×n): G, s_c, μ_c, TCVs and max norms. */
function inputsFromSamples(delta: Matrix, h: Matrix, labels: Int32Array, K: number, W: Matrix, lambda: number): CertificateInputs {
  const [N, m, n] = [labels.length, delta.cols, h.cols];
  const G = new Float64Array(m * n);
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) G[a * n + b] += (delta.data[i * m + a] * h.data[i * n + b]) / N;
  }
  const stats = (X: Matrix) => {
    const accumulator = createCollapseAccumulator({ dim: X.cols, numClasses: K });
    accumulator.addFirstPass(X.data, labels);
    accumulator.startSecondPass();
    accumulator.addSecondPass(X.data, labels);
    return accumulator.result();
  };
  const hStats = stats(h);
  const deltaStats = stats(delta);
  const sums = Float64Array.from(deltaStats.classMeans.data);
  for (let c = 0; c < K; c++) for (let a = 0; a < m; a++) sums[c * m + a] *= deltaStats.classCounts[c];
  return {
    weight: W,
    gradient: { rows: m, cols: n, data: G },
    classDeltaSums: { rows: K, cols: m, data: sums },
    classInputMeans: hStats.classMeans,
    classCounts: hStats.classCounts,
    sampleCount: N,
    weightDecay: lambda,
    maxDeltaNorm: deltaStats.maxNorm,
    inputTcv: hStats.tcv,
    maxInputNorm: hStats.maxNorm,
    deltaTcv: deltaStats.tcv,
  };
}

function randomSamples(seed: string, N: number, m: number, n: number, K: number, spread: number) {
  const rng = seeded(seed);
  const labels = Int32Array.from({ length: N }, (_, i) => i % K);
  const hCenters = gaussianMatrix(K, n, rng);
  const deltaCenters = gaussianMatrix(K, m, rng);
  const h = gaussianMatrix(N, n, rng);
  const delta = gaussianMatrix(N, m, rng);
  for (let i = 0; i < N; i++) {
    for (let b = 0; b < n; b++) h.data[i * n + b] = hCenters.data[labels[i] * n + b] + spread * h.data[i * n + b];
    for (let a = 0; a < m; a++) delta.data[i * m + a] = deltaCenters.data[labels[i] * m + a] + spread * delta.data[i * m + a];
  }
  return { labels, h, delta, rng };
}

describe('certificateTerms', () => {
  it('matches numpy on every term', () => {
    const inputs = fixture.inputs;
    const terms = certificateTerms({
      ...inputs,
      weight: toMatrix(inputs.weight),
      gradient: toMatrix(inputs.gradient),
      classDeltaSums: toMatrix(inputs.classDeltaSums),
      classInputMeans: toMatrix(inputs.classInputMeans),
    });
    for (const [field, expected] of Object.entries(fixture.expected)) {
      expectClose(terms[field as keyof typeof terms] as number, expected, { atol: 0, rtol: 1e-9 }, field);
    }
    expect(terms.reconstructionError as number).toBeLessThan(1e-14);
  });

  it.each([
    ['small spread', 0.05, 0.1],
    ['large spread', 1.5, 0.01],
    ['strong decay', 0.3, 1],
  ])('the whole chain holds on random consistent data (%s)', (_name, spread, lambda) => {
    const [N, m, n, K] = [90, 12, 15, 4];
    const { labels, h, delta, rng } = randomSamples(`chain-${spread}`, N, m, n, K, spread);
    const W = gaussianMatrix(m, n, rng);
    const t = certificateTerms(inputsFromSamples(delta, h, labels, K, W, lambda));
    const slack = 1e-12 * (t.normE as number + (t.normR as number));
    expect(t.reconstructionError as number).toBeLessThan(1e-13);
    expect([t.spanRank, t.dualSpanRank]).toEqual([K, K]);
    expect(t.tailK).toBeLessThanOrEqual(t.offSpanW + slack);
    expect(t.offSpanW).toBeLessThanOrEqual((t.offSpanE as number) + (t.offSpanR as number) + slack);
    expect((t.offSpanE as number) + (t.offSpanR as number)).toBeLessThanOrEqual((t.boundER as number) + slack);
    expect(t.normE as number).toBeLessThanOrEqual((t.tcvBound as number) + slack);
    expect(t.boundER as number).toBeLessThanOrEqual((t.tcvBoundFull as number) + slack);
    expect(t.tailK).toBeLessThanOrEqual(t.dualOffSpanW + slack);
    expect(t.dualOffSpanW).toBeLessThanOrEqual((t.dualOffSpanE as number) + (t.dualOffSpanR as number) + slack);
    expect((t.dualOffSpanE as number) + (t.dualOffSpanR as number)).toBeLessThanOrEqual((t.boundER as number) + slack);
    expect(t.normE as number).toBeLessThanOrEqual((t.dualTcvBound as number) + slack);
    expectClose(t.slack as number, t.tailK / (t.boundER as number), { atol: 0, rtol: 1e-15 }, 'slack');
  });

  it('at a stationary point R = 0, and collapsed inputs make W exactly rank ≤ K', () => {
    const [N, m, n, K, lambda] = [40, 8, 10, 3, 0.2];
    const { labels, h, delta } = randomSamples('stationary', N, m, n, K, 0);
    const draft = inputsFromSamples(delta, h, labels, K, { rows: m, cols: n, data: new Float64Array(m * n) }, lambda);
    const W = { rows: m, cols: n, data: draft.gradient.data.map((g) => -g / lambda) };
    const t = certificateTerms({ ...draft, weight: W });
    expectClose([t.normR as number, t.normE as number, t.tailK, t.offSpanW], [0, 0, 0, 0], { atol: 1e-12, rtol: 0 }, 'zero terms');
    expect(t.normA as number).toBeGreaterThan(0.1);
  });

  it('skips classes without samples (their rows may hold anything)', () => {
    const { labels, h, delta, rng } = randomSamples('absent', 60, 6, 7, 3, 0.4);
    const inputs = inputsFromSamples(delta, h, labels, 3, gaussianMatrix(6, 7, rng), 0.1);
    const padded = (X: Matrix): Matrix => ({ rows: X.rows + 1, cols: X.cols, data: Float64Array.from([...X.data, ...new Array(X.cols).fill(99)]) });
    const withAbsent = certificateTerms({
      ...inputs,
      classDeltaSums: padded(inputs.classDeltaSums),
      classInputMeans: padded(inputs.classInputMeans),
      classCounts: [...Array.from(inputs.classCounts), 0],
    });
    const reference = certificateTerms(inputs);
    for (const field of CERTIFICATE_FIELDS) {
      if (reference[field] === null) expect(withAbsent[field], field).toBeNull();
      else expectClose(withAbsent[field] as number, reference[field] as number, { atol: 1e-15, rtol: 1e-14 }, field);
    }
  });

  it('returns null for every λ-dependent field when λ = 0, and validates shapes', () => {
    const { labels, h, delta, rng } = randomSamples('lambda0', 30, 5, 6, 3, 0.5);
    const inputs = inputsFromSamples(delta, h, labels, 3, gaussianMatrix(5, 6, rng), 0);
    const t = certificateTerms(inputs);
    const defined = ['tailK', 'spanRank', 'offSpanW', 'dualSpanRank', 'dualOffSpanW'];
    for (const field of CERTIFICATE_FIELDS) {
      if (defined.includes(field)) expect(typeof t[field], field).toBe('number');
      else expect(t[field], field).toBeNull();
    }
    expect(() => certificateTerms({ ...inputs, weightDecay: -1 })).toThrow(RangeError);
    expect(() => certificateTerms({ ...inputs, gradient: gaussianMatrix(5, 5, rng) })).toThrow(RangeError);
  });
});

/** The sample sums streamed in one pass pair (one batch) or several. */
function streamSampleSums(delta: Matrix, h: Matrix, labels: Int32Array, K: number, batch = labels.length) {
  const accumulator = createSampleBoundAccumulator({ deltaDim: delta.cols, inputDim: h.cols, numClasses: K });
  const batches = (visit: (d: Float64Array, x: Float64Array, y: Int32Array) => void) => {
    for (let start = 0; start < labels.length; start += batch) {
      const end = Math.min(labels.length, start + batch);
      visit(delta.data.subarray(start * delta.cols, end * delta.cols), h.data.subarray(start * h.cols, end * h.cols), labels.subarray(start, end));
    }
  };
  batches((d, x, y) => accumulator.addFirstPass(d, x, y));
  accumulator.startSecondPass();
  batches((d, x, y) => accumulator.addSecondPass(d, x, y));
  return accumulator.result();
}

/** ‖(I − Mᵀ(MMᵀ)⁻¹M) x‖ by the normal equations (Gaussian elimination), independent of orthonormalRowBasis. */
function offSpanNormDirect(M: number[][], x: number[]): number {
  const k = M.length;
  const gram = M.map((a) => M.map((b) => a.reduce((s, v, j) => s + v * b[j], 0)));
  const rhs = M.map((a) => a.reduce((s, v, j) => s + v * x[j], 0));
  for (let p = 0; p < k; p++) {
    for (let r = p + 1; r < k; r++) {
      const f = gram[r][p] / gram[p][p];
      for (let c = p; c < k; c++) gram[r][c] -= f * gram[p][c];
      rhs[r] -= f * rhs[p];
    }
  }
  const coefficients = new Array<number>(k).fill(0);
  for (let p = k - 1; p >= 0; p--) {
    let s = rhs[p];
    for (let c = p + 1; c < k; c++) s -= gram[p][c] * coefficients[c];
    coefficients[p] = s / gram[p][p];
  }
  const residual = x.map((v, j) => v - M.reduce((s, row, p) => s + coefficients[p] * row[j], 0));
  return Math.hypot(...residual);
}

describe('per-sample certificate bounds', () => {
  const [N, m, n, K] = [60, 7, 9, 3];
  const { labels, h, delta, rng } = randomSamples('sample-bounds', N, m, n, K, 0.6);
  const rowOf = (X: Matrix, i: number): number[] => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  const classMeans = (X: Matrix): number[][] =>
    Array.from({ length: K }, (_, c) => {
      const members = [...labels.keys()].filter((i) => labels[i] === c);
      return Array.from({ length: X.cols }, (_, j) => members.reduce((s, i) => s + X.data[i * X.cols + j], 0) / members.length);
    });

  it('streams exactly the sums of a direct float64 computation, for any batching', () => {
    const [mu, nu] = [classMeans(h), classMeans(delta)];
    const direct = { deltaDeviation: 0, centeredDeltaDeviation: 0, centeredDeltaInput: 0, deltaOffSpanInput: 0, centeredDeltaOffSpanInput: 0, offSpanDeltaDeviation: 0 };
    for (let i = 0; i < N; i++) {
      const [d, x, c] = [rowOf(delta, i), rowOf(h, i), labels[i]];
      const e = x.map((v, j) => v - mu[c][j]);
      const r = d.map((v, a) => v - nu[c][a]);
      const [nd, nr, ne, nh] = [Math.hypot(...d), Math.hypot(...r), Math.hypot(...e), Math.hypot(...x)];
      direct.deltaDeviation += nd * ne;
      direct.centeredDeltaDeviation += nr * ne;
      direct.centeredDeltaInput += nr * nh;
      direct.deltaOffSpanInput += nd * offSpanNormDirect(mu, x);
      direct.centeredDeltaOffSpanInput += nr * offSpanNormDirect(mu, e);
      direct.offSpanDeltaDeviation += offSpanNormDirect(nu, d) * ne;
    }
    for (const batch of [N, 7]) {
      const sums = streamSampleSums(delta, h, labels, K, batch);
      expect([sums.sampleCount, sums.spanRank, sums.dualSpanRank]).toEqual([N, K, K]);
      for (const [field, value] of Object.entries(direct)) expectClose(sums[field as keyof typeof direct], value, { atol: 0, rtol: 1e-12 }, `${field} (batch ${batch})`);
    }
  });

  it.each([0.1, 1])('extends the chain: every new bound holds and sits where it must (λ = %s)', (lambda) => {
    const W = gaussianMatrix(m, n, rng);
    const t = certificateTerms({ ...inputsFromSamples(delta, h, labels, K, W, lambda), sampleSums: streamSampleSums(delta, h, labels, K) });
    const v = (x: number | null): number => {
      expect(x).not.toBeNull();
      return x as number;
    };
    const tol = 1e-12 * (v(t.normE) + v(t.normR));
    const le = (a: number, b: number, what: string) => expect(a, what).toBeLessThanOrEqual(b + tol);
    le(v(t.normE), v(t.sampleBound), '‖E‖ ≤ Σ‖δ‖‖e‖/(λN)');
    le(v(t.normE), v(t.centeredSampleBound), '‖E‖ ≤ Σ‖r‖‖e‖/(λN)');
    le(v(t.normE), v(t.dualSampleBound), '‖E‖ ≤ Σ‖r‖‖h‖/(λN)');
    le(v(t.sampleBound), v(t.tcvBound), 'Σ‖δ‖‖e‖ ≤ max‖δ‖·TCV');
    le(v(t.dualSampleBound), v(t.dualTcvBound), 'Σ‖r‖‖h‖ ≤ max‖h‖·TCV_δ');
    le(v(t.boundER), v(t.sampleBoundFull), '‖E‖ + ‖R‖ ≤ sampleBoundFull');
    le(v(t.sampleBoundFull), v(t.tcvBoundFull), 'sampleBoundFull ≤ tcvBoundFull');
    le(v(t.offSpanE), v(t.offSpanSampleBound), '‖E P⊥‖ ≤ Σ‖δ‖‖P⊥h‖/(λN)');
    le(v(t.offSpanE), v(t.offSpanCenteredSampleBound), '‖E P⊥‖ ≤ Σ‖r‖‖P⊥h‖/(λN)');
    le(v(t.offSpanSampleBound), v(t.sampleBound), 'projected ≤ unprojected');
    le(t.tailK, v(t.offSpanSampleBoundFull), 'τ_K ≤ offSpanSampleBoundFull');
    le(v(t.dualOffSpanE), v(t.dualOffSpanSampleBound), '‖P⊥_δ E‖ ≤ Σ‖P⊥_δ δ‖‖e‖/(λN)');
    le(v(t.dualOffSpanSampleBound), v(t.sampleBound), 'dual projected ≤ unprojected');
    le(t.tailK, v(t.dualOffSpanSampleBoundFull), 'τ_K ≤ dualOffSpanSampleBoundFull');
    expectClose(v(t.relativeNormR), v(t.normR) / Math.hypot(...W.data), { atol: 0, rtol: 1e-14 }, 'relativeNormR');
    expectClose(v(t.gradientNorm), lambda * v(t.normR), { atol: 0, rtol: 1e-15 }, 'gradientNorm');
  });

  it('is attained when every δ_i e_iᵀ is the same rank-one matrix (closed form)', () => {
    // Two samples per class with h_i = μ_c ± u and δ_i = ±w: every δ_i e_iᵀ is w uᵀ, so the triangle inequality is an equality.
    const [m2, n2, K2, lambda] = [3, 4, 2, 0.5];
    const u = [1, 2, 0, -1];
    const w = [0.5, -1, 2];
    const hRows: number[] = [];
    const dRows: number[] = [];
    const y: number[] = [];
    for (let c = 0; c < K2; c++) {
      for (const sign of [1, -1]) {
        hRows.push(...u.map((x, j) => (c === 0 ? 3 : -2) * (j === c ? 1 : 0) + sign * x));
        dRows.push(...w.map((x) => sign * x));
        y.push(c);
      }
    }
    const labels2 = Int32Array.from(y);
    const hm = { rows: 4, cols: n2, data: Float64Array.from(hRows) };
    const dm = { rows: 4, cols: m2, data: Float64Array.from(dRows) };
    const W = gaussianMatrix(m2, n2, rng);
    const t = certificateTerms({ ...inputsFromSamples(dm, hm, labels2, K2, W, lambda), sampleSums: streamSampleSums(dm, hm, labels2, K2) });
    // E = −(1/(λN)) Σ δ_i e_iᵀ = −(4/(λ·4)) w uᵀ, so ‖E‖ = ‖w‖‖u‖/λ, and Σ‖δ_i‖‖e_i‖/(λN) is the same.
    const exact = (Math.hypot(...w) * Math.hypot(...u)) / lambda;
    expectClose([t.normE as number, t.sampleBound as number, t.centeredSampleBound as number], [exact, exact, exact], { atol: 0, rtol: 1e-13 }, 'attained');
  });

  it('validates its inputs and its call order', () => {
    expect(() => createSampleBoundAccumulator({ deltaDim: 0, inputDim: 2, numClasses: 2 })).toThrow(RangeError);
    const accumulator = createSampleBoundAccumulator({ deltaDim: 2, inputDim: 3, numClasses: 2 });
    expect(() => accumulator.addFirstPass(new Float64Array(4), new Float64Array(5), Int32Array.from([0, 1]))).toThrow(/h has length 5/);
    expect(() => accumulator.addFirstPass(new Float64Array(2), new Float64Array(3), Int32Array.from([2]))).toThrow(/outside/);
    expect(() => accumulator.addSecondPass(new Float64Array(2), new Float64Array(3), Int32Array.from([0]))).toThrow(/startSecondPass/);
    accumulator.addFirstPass(new Float64Array(2), new Float64Array(3), Int32Array.from([0]));
    accumulator.startSecondPass();
    expect(() => accumulator.result()).toThrow(/second pass saw 0/);
  });
});
