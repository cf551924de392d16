import { describe, expect, it } from 'vitest';
import { expectClose, seeded } from '../test/numeric.js';
import fixture from './__fixtures__/collapse.json' with { type: 'json' };
import { createCollapseAccumulator } from './collapse-accumulator.js';
import { collapseMetrics } from './collapse-metrics.js';

const RELATIVE = { atol: 1e-13, rtol: 1e-9 };

describe('collapse metrics against numpy', () => {
  const h = Float64Array.from(fixture.features);
  const labels = Int32Array.from(fixture.labels);
  const predictions = Int32Array.from(fixture.predictions);

  it('matches every scalar metric, the counts and the class means (class 3 absent)', () => {
    const result = collapseMetrics(h, labels, { numClasses: fixture.numClasses, predictions });
    const { classCounts, classMeans, ...scalars } = fixture.expected;
    for (const [field, expected] of Object.entries(scalars)) {
      expectClose(result[field as keyof typeof scalars] as number, expected, RELATIVE, field);
    }
    expect(result.presentClasses).toBe(4);
    expectClose(result.classCounts, classCounts, { atol: 0, rtol: 0 }, 'classCounts');
    expectClose(result.classMeans.data, classMeans, RELATIVE, 'classMeans');
  });

  it('gives the same result streamed in uneven batches, in another order for pass 2', () => {
    const whole = collapseMetrics(h, labels, { numClasses: fixture.numClasses, predictions });
    const D = fixture.dim;
    const accumulator = createCollapseAccumulator({ dim: D, numClasses: fixture.numClasses });
    const cuts = [0, 7, 8, 60, 99, labels.length];
    for (let b = 0; b + 1 < cuts.length; b++) {
      accumulator.addFirstPass(h.subarray(cuts[b] * D, cuts[b + 1] * D), labels.subarray(cuts[b], cuts[b + 1]));
    }
    accumulator.startSecondPass();
    for (let b = cuts.length - 2; b >= 0; b--) {
      const [from, to] = [cuts[b], cuts[b + 1]];
      accumulator.addSecondPass(h.subarray(from * D, to * D), labels.subarray(from, to), predictions.subarray(from, to));
    }
    const streamed = accumulator.result();
    for (const field of ['tcv', 'nc1', 'traceRatio', 'cdnv', 'nc2Equinorm', 'nc2Equiangularity', 'nc4Disagreement'] as const) {
      expectClose(streamed[field] as number, whole[field] as number, { atol: 0, rtol: 1e-12 }, field);
    }
  });
});

describe('collapse metrics closed forms', () => {
  it('collapsed features give TCV = 0, NC1 = 0, trace ratio 0, CDNV 0 and agree with the nearest mean', () => {
    const means = [[1, 2, 0], [-1, 0, 3], [0, -2, -1]];
    const labels = Int32Array.from([0, 1, 2, 2, 1, 0, 0]);
    const h = Float64Array.from(Array.from(labels).flatMap((c) => means[c]));
    const result = collapseMetrics(h, labels, { numClasses: 3, predictions: labels });
    expect(result.tcv).toBe(0);
    expect(result.nc1).toBe(0);
    expect(result.traceRatio).toBe(0);
    expect(result.cdnv).toBe(0);
    expect(result.nc4Disagreement).toBe(0);
    expect(result.scaleFreeTcv).toBe(0);
  });

  it('simplex-ETF class means give NC2 equinorm = equiangularity = 0', () => {
    const K = 4;
    const labels: number[] = [];
    const rows: number[] = [];
    for (let c = 0; c < K; c++) {
      const etf = Array.from({ length: K }, (_, j) => 3 * ((j === c ? 1 : 0) - 1 / K));
      // ± pairs of noise keep each class mean exactly on the ETF vertex.
      for (const sign of [1, -1]) {
        labels.push(c);
        rows.push(...etf.map((x, j) => x + sign * 0.1 * (j + c)));
      }
    }
    const result = collapseMetrics(Float64Array.from(rows), Int32Array.from(labels), { numClasses: K });
    expectClose(result.nc2Equinorm as number, 0, { atol: 1e-14, rtol: 0 }, 'equinorm');
    expectClose(result.nc2Equiangularity as number, 0, { atol: 1e-14, rtol: 0 }, 'equiangularity');
    expectClose(result.betweenEffectiveRank, K - 1, { atol: 0, rtol: 1e-12 }, 'Σ_B effective rank');
  });

  it('a Gaussian mixture with known within-class variance gives the expected trace ratio, CDNV and TCV', () => {
    const rng = seeded('mixture');
    const [K, D, perClass, sd] = [3, 4, 4000, 0.5];
    const centers = [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 2]];
    const labels = new Int32Array(K * perClass);
    const h = new Float32Array(K * perClass * D);
    for (let i = 0; i < labels.length; i++) {
      labels[i] = i % K;
      for (let j = 0; j < D; j++) h[i * D + j] = centers[labels[i]][j] + sd * rng.normal();
    }
    const result = collapseMetrics(h, labels, { numClasses: K });
    // tr Σ_B of the true centers (an equilateral triangle, so Σ_B has K−1 equal eigenvalues tr Σ_B/(K−1)).
    const centroid = [2 / 3, 2 / 3, 0, 2 / 3];
    const traceBetween = centers.reduce((s, c) => s + c.reduce((t, x, j) => t + (x - centroid[j]) ** 2, 0), 0) / K;
    const traceWithin = D * sd * sd;
    expectClose(result.traceRatio as number, traceWithin / traceBetween, { atol: 0, rtol: 0.03 }, 'trace ratio');
    expectClose(result.cdnv as number, (2 * traceWithin) / (2 * 8), { atol: 0, rtol: 0.03 }, 'CDNV'); // ‖μ_c − μ_c'‖² = 8
    // E‖sd·z‖ for z ~ N(0, I_4) is sd·√2·Γ(5/2)/Γ(2) = sd·1.87997…
    expectClose(result.tcv / labels.length, sd * Math.SQRT2 * 1.329340388179137, { atol: 0, rtol: 0.02 }, 'TCV/N');
    // NC1 = (1/K) tr(σ² I · Σ_B⁺) = (1/K) σ² (K−1)² / tr Σ_B.
    expectClose(result.nc1 as number, ((sd * sd * (K - 1) ** 2) / traceBetween) / K, { atol: 0, rtol: 0.05 }, 'NC1');
  });
});

describe('collapse metrics degenerate cases and validation', () => {
  it('K′ = 1 gives null where the definition divides by zero, numbers elsewhere', () => {
    const result = collapseMetrics(Float64Array.from([1, 2, 3, 4]), Int32Array.from([1, 1]), { numClasses: 3 });
    expect(result.presentClasses).toBe(1);
    expectClose(result.tcv, 2 * Math.SQRT2, { atol: 0, rtol: 1e-15 }, 'tcv');
    expect(result.nc1).toBeNull();
    expect(result.scaleFreeTcv).toBeNull();
    expect(result.traceRatio).toBeNull();
    expect(result.cdnv).toBeNull();
    expect(result.nc2Equinorm).toBeNull();
    expect(result.nc2Equiangularity).toBeNull();
    expect(result.nc4Disagreement).toBeNull();
    expect(result.betweenEffectiveRank).toBe(0);
    expectClose(result.maxNorm, 5, { atol: 0, rtol: 1e-15 }, 'maxNorm');
  });

  it('coincident class means make the CDNV null', () => {
    const result = collapseMetrics(Float64Array.from([1, -1, 1, -1]), Int32Array.from([0, 0, 1, 1]), { numClasses: 2 });
    expect(result.cdnv).toBeNull();
    expect(result.nc1).toBeNull();
  });

  it('validates batches, labels and call order', () => {
    const accumulator = createCollapseAccumulator({ dim: 2, numClasses: 2 });
    expect(() => accumulator.addFirstPass(new Float64Array(3), Int32Array.from([0, 1]))).toThrow(RangeError);
    expect(() => accumulator.addFirstPass(new Float64Array(2), Int32Array.from([2]))).toThrow(RangeError);
    expect(() => accumulator.addSecondPass(new Float64Array(2), Int32Array.from([0]))).toThrow(Error);
    expect(() => accumulator.startSecondPass()).toThrow(/no sample/);
    accumulator.addFirstPass(Float64Array.from([1, 0, 0, 1]), Int32Array.from([0, 1]));
    accumulator.startSecondPass();
    accumulator.addSecondPass(Float64Array.from([1, 0]), Int32Array.from([0]));
    expect(() => accumulator.result()).toThrow(/1 samples, the first 2/);
    expect(() => createCollapseAccumulator({ dim: 0, numClasses: 2 })).toThrow(RangeError);
  });
});
