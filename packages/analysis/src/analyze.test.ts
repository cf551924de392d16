import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@rank-collapse/backend/testing';
import { generateGaussianMixture } from '@rank-collapse/datasets';
import { certificateTerms, collapseMetrics, createMatrix, singularValues, spectralMetrics } from '@rank-collapse/metrics';
import { buildMlp } from '@rank-collapse/models';
import { analyze } from './analyze.js';
import { COLLAPSE_FIELDS, LAYER_ROW_FIELDS, ROW_CERTIFICATE_FIELDS } from './layer-row.js';
import { hostMlpPass } from './host-mlp.test-helper.js';

const K = 3;
const model = buildMlp({ inputShape: [8], hidden: [6, 5], numClasses: K });
const params = model.initialParams(7);
const data = generateGaussianMixture({ numClasses: K, dimension: 8, perClass: 20, separation: 3, noise: 1, seed: 3 }).dataset;
const lambda = 5e-3;

/** |a − b| ≤ rtol·|b| + atol; atol covers quantities that are zero up to rounding (e.g. an empty off-span part). */
const relClose = (a: number | null, b: number | null, rtol: number, what: string, atol = 0): void => {
  expect(a, what).not.toBeNull();
  expect(b, what).not.toBeNull();
  expect(Math.abs(a! - b!), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(rtol * Math.abs(b!) + atol);
};

describe('analyze on the reference backend', () => {
  it('matches an independent float64 forward/backward pass, metric by metric', async () => {
    const result = await analyze({ backend: createReferenceBackend(), graph: model.graph, params, data, weightDecay: lambda, batchSize: 16 });
    const host = hostMlpPass(params, 3, data.x, data.y, K);
    expect(result.rows.map((r) => r.layer)).toEqual(['dense1', 'dense2', 'dense3']);
    expect(result.sampleCount).toBe(data.size);
    relClose(result.loss, host.meanLoss, 1e-9, 'mean loss');
    let correct = 0;
    for (let i = 0; i < data.size; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (host.logits[i * K + k] > host.logits[i * K + best]) best = k;
      if (best === data.y[i]) correct++;
    }
    expect(result.accuracy).toBe(correct / data.size);
    result.rows.forEach((row, l) => {
      const inputs = collapseMetrics(host.inputs[l], data.y, { numClasses: K });
      const deltas = collapseMetrics(host.deltas[l], data.y, { numClasses: K });
      for (const f of COLLAPSE_FIELDS) {
        const field = f[0].toUpperCase() + f.slice(1);
        if (inputs[f] !== null) relClose(row[`input${field}` as keyof typeof row] as number, inputs[f], 1e-8, `${row.layer} input ${f}`);
        if (deltas[f] !== null) relClose(row[`delta${field}` as keyof typeof row] as number, deltas[f], 1e-8, `${row.layer} delta ${f}`);
      }
      const W = params.get(`dense${l + 1}.weight`)!;
      const weight = createMatrix(row.rows, row.cols, W.data as Float32Array);
      const S = createMatrix(K, row.rows);
      for (let i = 0; i < data.size; i++) for (let r = 0; r < row.rows; r++) S.data[data.y[i] * row.rows + r] += host.deltas[l][i * row.rows + r];
      const cert = certificateTerms({
        weight,
        gradient: createMatrix(row.rows, row.cols, host.gradients[l]),
        classDeltaSums: S,
        classInputMeans: inputs.classMeans,
        classCounts: inputs.classCounts,
        sampleCount: data.size,
        weightDecay: lambda,
        maxDeltaNorm: deltas.maxNorm,
        inputTcv: inputs.tcv,
        maxInputNorm: inputs.maxNorm,
        deltaTcv: deltas.tcv,
        K,
      });
      for (const f of ROW_CERTIFICATE_FIELDS) {
        if (f === 'reconstructionError') continue;
        if (typeof cert[f] === 'number') relClose(row[f] as number, cert[f] as number, 1e-7, `${row.layer} ${f}`, 1e-10 * (cert.normA! + cert.boundER!));
      }
      expect(row.reconstructionError!).toBeLessThan(1e-5);
      const spectral = spectralMetrics(singularValues(weight), { K });
      expect(row.numericalRank).toBe(spectral.numericalRank);
      relClose(row.tailK, spectral.tailK, 1e-12, `${row.layer} tailK`);
    });
    const last = result.rows[2];
    expect(last.nc3).not.toBeNull();
    expect(last.nc4).not.toBeNull();
    expect(result.rows[0].nc3).toBeNull();
  });

  it('holds the certificate chain τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖ ≤ TCV bound on every layer', async () => {
    const result = await analyze({ backend: createReferenceBackend(), graph: model.graph, params, data, weightDecay: lambda });
    const eps = 1e-9;
    for (const row of result.rows) {
      // With K = 3 classes and layer widths ≥ 3 the chain is meaningful (τ_K > 0 for the wider layers).
      expect(row.tailK).toBeLessThanOrEqual(row.offSpanW! * (1 + eps) + eps);
      expect(row.offSpanW!).toBeLessThanOrEqual((row.offSpanE! + row.offSpanR!) * (1 + eps) + eps);
      expect(row.offSpanE! + row.offSpanR!).toBeLessThanOrEqual(row.boundER! * (1 + eps) + eps);
      expect(row.boundER!).toBeLessThanOrEqual(row.tcvBoundFull! * (1 + eps) + eps);
      expect(row.slack!).toBeLessThanOrEqual(1 + eps);
      expect(row.tailK).toBeLessThanOrEqual(row.dualOffSpanW! * (1 + eps) + eps);
    }
    expect(result.rows[0].tailK).toBeGreaterThan(0);
  });

  it('streams the per-sample bounds of an independent float64 pass, and they extend the chain on every layer', async () => {
    const result = await analyze({ backend: createReferenceBackend(), graph: model.graph, params, data, weightDecay: lambda, batchSize: 9 });
    const host = hostMlpPass(params, 3, data.x, data.y, K);
    const N = data.size;
    result.rows.forEach((row, l) => {
      const [m, n] = [row.rows, row.cols];
      const mu = createMatrix(K, n);
      const nu = createMatrix(K, m);
      const counts = new Float64Array(K);
      for (let i = 0; i < N; i++) {
        counts[data.y[i]]++;
        for (let j = 0; j < n; j++) mu.data[data.y[i] * n + j] += host.inputs[l][i * n + j];
        for (let a = 0; a < m; a++) nu.data[data.y[i] * m + a] += host.deltas[l][i * m + a];
      }
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < n; j++) mu.data[c * n + j] /= counts[c];
        for (let a = 0; a < m; a++) nu.data[c * m + a] /= counts[c];
      }
      let [deltaDeviation, centered, dual] = [0, 0, 0];
      for (let i = 0; i < N; i++) {
        const c = data.y[i];
        let [d2, r2, e2, h2] = [0, 0, 0, 0];
        for (let a = 0; a < m; a++) {
          const d = host.deltas[l][i * m + a];
          d2 += d * d;
          r2 += (d - nu.data[c * m + a]) ** 2;
        }
        for (let j = 0; j < n; j++) {
          const x = host.inputs[l][i * n + j];
          h2 += x * x;
          e2 += (x - mu.data[c * n + j]) ** 2;
        }
        deltaDeviation += Math.sqrt(d2 * e2);
        centered += Math.sqrt(r2 * e2);
        dual += Math.sqrt(r2 * h2);
      }
      relClose(row.sampleBound, deltaDeviation / (lambda * N), 1e-7, `${row.layer} sampleBound`);
      relClose(row.centeredSampleBound, centered / (lambda * N), 1e-7, `${row.layer} centeredSampleBound`);
      relClose(row.dualSampleBound, dual / (lambda * N), 1e-7, `${row.layer} dualSampleBound`);
      const eps = 1e-9;
      const le = (a: number | null, b: number | null, what: string) => expect(a!, `${row.layer}: ${what}`).toBeLessThanOrEqual(b! * (1 + eps) + eps);
      le(row.normE, row.sampleBound, '‖E‖ ≤ sampleBound');
      le(row.normE, row.centeredSampleBound, '‖E‖ ≤ centeredSampleBound');
      le(row.sampleBound, row.tcvBound, 'sampleBound ≤ tcvBound');
      le(row.offSpanE, row.offSpanSampleBound, '‖E P⊥‖ ≤ offSpanSampleBound');
      le(row.offSpanE, row.offSpanCenteredSampleBound, '‖E P⊥‖ ≤ offSpanCenteredSampleBound');
      le(row.tailK, row.offSpanSampleBoundFull, 'τ_K ≤ offSpanSampleBoundFull');
      le(row.offSpanSampleBoundFull, row.sampleBoundFull! + row.offSpanR!, 'projected full ≤ unprojected + ‖R P⊥‖');
      le(row.dualOffSpanE, row.dualOffSpanSampleBound, '‖P⊥_δ E‖ ≤ dualOffSpanSampleBound');
      le(row.tailK, row.dualOffSpanSampleBoundFull, 'τ_K ≤ dualOffSpanSampleBoundFull');
      relClose(row.relativeNormR, row.normR! / row.frobeniusNorm, 1e-12, `${row.layer} relativeNormR`);
      relClose(row.gradientNorm, lambda * row.normR!, 1e-12, `${row.layer} gradientNorm`);
    });
  });

  it('gives the same rows whatever the batch size', async () => {
    const backend = createReferenceBackend();
    const a = await analyze({ backend, graph: model.graph, params, data, weightDecay: lambda, batchSize: 7 });
    const b = await analyze({ backend, graph: model.graph, params, data, weightDecay: lambda, batchSize: 1000 });
    a.rows.forEach((row, l) => {
      for (const f of LAYER_ROW_FIELDS) {
        const x = row[f as keyof typeof row];
        const y = b.rows[l][f as keyof typeof row];
        if (typeof x === 'number' && typeof y === 'number') expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
        else expect(x).toEqual(y);
      }
    });
  });

  it('leaves the certificate null for λ = 0 and gives spectra only without data', async () => {
    const backend = createReferenceBackend();
    const noDecay = await analyze({ backend, graph: model.graph, params, data });
    expect(noDecay.rows[1].normE).toBeNull();
    expect(noDecay.rows[1].inputTcv).toBeGreaterThan(0);
    const weightsOnly = await analyze({ backend, graph: model.graph, params, singularValues: true });
    expect(weightsOnly.accuracy).toBeNull();
    expect(weightsOnly.rows[0].inputTcv).toBeNull();
    expect(weightsOnly.rows[0].singularValues).toHaveLength(6);
    expect(weightsOnly.rows[0].frobeniusNorm).toBeCloseTo(noDecay.rows[0].frobeniusNorm, 12);
  });

  it('takes the backward signals of the MSE loss (1/K)‖z − y‖² when asked', async () => {
    const result = await analyze({ backend: createReferenceBackend(), graph: model.graph, params, data, loss: 'mse' });
    const host = hostMlpPass(params, 3, data.x, data.y, K);
    const delta = new Float64Array(data.size * K);
    for (let i = 0; i < data.size; i++) for (let k = 0; k < K; k++) delta[i * K + k] = (2 / K) * (host.logits[i * K + k] - (k === data.y[i] ? 1 : 0));
    relClose(result.rows[2].deltaTcv, collapseMetrics(delta, data.y, { numClasses: K }).tcv, 1e-9, 'MSE δ TCV');
  });

  it('names the dataset and the model input when they do not fit', async () => {
    const wrong = generateGaussianMixture({ numClasses: K, dimension: 5, perClass: 4, separation: 3, noise: 1, seed: 1 }).dataset;
    await expect(analyze({ backend: createReferenceBackend(), graph: model.graph, params, data: wrong })).rejects.toThrow(/samples of shape \[5\].*expects \[8\]/);
  });
});
