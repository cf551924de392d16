import { describe, expect, it } from 'vitest';
import { expectClose, gaussianMatrix, seeded } from '../test/numeric.js';
import fixture from './__fixtures__/certificate.json' with { type: 'json' };
import { CERTIFICATE_FIELDS, certificateTerms, type CertificateInputs } from './certificate-terms.js';
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
      expectClose(terms[field as keyof typeof terms] as number, expected, { relative: 1e-9 }, field);
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
    expectClose(t.slack as number, t.tailK / (t.boundER as number), { relative: 1e-15 }, 'slack');
  });

  it('at a stationary point R = 0, and collapsed inputs make W exactly rank ≤ K', () => {
    const [N, m, n, K, lambda] = [40, 8, 10, 3, 0.2];
    const { labels, h, delta } = randomSamples('stationary', N, m, n, K, 0);
    const draft = inputsFromSamples(delta, h, labels, K, { rows: m, cols: n, data: new Float64Array(m * n) }, lambda);
    const W = { rows: m, cols: n, data: draft.gradient.data.map((g) => -g / lambda) };
    const t = certificateTerms({ ...draft, weight: W });
    expectClose([t.normR as number, t.normE as number, t.tailK, t.offSpanW], [0, 0, 0, 0], { absolute: 1e-12 }, 'zero terms');
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
      expectClose(withAbsent[field] as number, reference[field] as number, { relative: 1e-14, absolute: 1e-15 }, field);
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
