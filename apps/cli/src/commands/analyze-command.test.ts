import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@rank-collapse/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeKnownSpectrumLayersModel } from '../__fixtures__/known-spectrum-layers-model.js';
import { SIGMA, predict, writeKnownSpectrumModel } from '../__fixtures__/known-spectrum-model.js';
import { runCaptured } from '../__fixtures__/run-captured.js';
import type { AnalysisJson } from '../format/analysis-json.js';
import type { CompressionJson } from './compress-command.js';

const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-analyze-'));
const model = join(dir, 'mlp.onnx');
let params: ReturnType<typeof writeKnownSpectrumModel>;
beforeAll(() => {
  params = writeKnownSpectrumModel(model);
});

const sorted = [...SIGMA].sort((a, b) => b - a);
const frobenius = Math.hypot(...SIGMA);

describe('analyze', () => {
  it('--weights-only --json: shape, metrics and singular values of a model with a known spectrum', async () => {
    const { code, stdout, stderr } = await runCaptured(['analyze', model, '--weights-only', '--singular-values', '--json', '--backend', 'onnx'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as AnalysisJson;
    expect(doc).toMatchObject({ format: 'rank-collapse-analysis/2', analysis: 'weights-only', data: null, accuracy: null, backend: null, classes: { K: 10, from: 'model' } });
    expect(doc.skipped.map((s) => s.name).sort()).toEqual(['dense1.bias', 'dense2.bias']);
    // Weights-only rows are named by the node that reads the weight (here the exporter's `dense1.z`).
    expect(doc.layers.map((l) => [l.layer, l.kind, l.shape])).toEqual([
      ['dense1.z', 'dense', [8, 196]],
      ['dense2.z', 'dense', [10, 8]],
    ]);
    const dense1 = doc.layers[0] as (typeof doc.layers)[number] & { source: { tensor: string; op: string } };
    expect(dense1.source).toMatchObject({ tensor: 'dense1.weight', op: 'Gemm' });
    expect(dense1.singularValues!.length).toBe(8);
    dense1.singularValues!.forEach((s, j) => expect(s, `σ_${j + 1}`).toBeCloseTo(sorted[j], 6));
    // σ_j > 1e-3·σ_1 = 0.005 holds for 5, 4, 3, 2, 1, 0.5.
    expect(dense1.metrics.numericalRank).toBe(6);
    expect(dense1.metrics.frobeniusNorm).toBeCloseTo(frobenius, 6);
    expect(dense1.metrics.spectralNorm).toBeCloseTo(5, 6);
    expect(dense1.metrics.stableRank).toBeCloseTo(frobenius ** 2 / 25, 6);
    // K = 10 > 8 singular values: nothing beyond rank K.
    expect(dense1.metrics.tailK).toBe(0);
    expect(dense1.metrics.inputNc1).toBeNull();
    expect(dense1.metrics.normE).toBeNull();
  });

  it('--rank-tolerance changes the numerical rank', async () => {
    const { stdout } = await runCaptured(['analyze', model, '--weights-only', '--json', '--rank-tolerance', '0.15', '--backend', 'onnx'], dir);
    // σ_j > 0.75: 5, 4, 3, 2, 1.
    expect((JSON.parse(stdout) as AnalysisJson).layers[0].metrics.numericalRank).toBe(5);
  });

  it('--data streams the data: accuracy matches an independent forward pass, certificate terms appear with λ > 0', async () => {
    const { code, stdout } = await runCaptured(['analyze', model, '--data', 'tiny', '--weight-decay', '1e-3', '--json', '--backend', 'onnx'], dir);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as AnalysisJson;
    const train = loadDataset({ name: 'tiny' }).train;
    const predictions = predict(params, train.x, train.size);
    const correct = predictions.reduce((c, p, i) => c + (p === train.y[i] ? 1 : 0), 0);
    expect(doc.data).toEqual({ name: 'tiny/train', samples: 1000, classes: 10 });
    expect(doc.accuracy).toBeCloseTo(correct / train.size, 10);
    for (const layer of doc.layers) {
      expect(layer.metrics.inputTcv).toBeGreaterThan(0);
      expect(layer.metrics.normE).not.toBeNull();
      expect(layer.metrics.tailK!).toBeLessThanOrEqual(layer.metrics.normE! + layer.metrics.normR! + 1e-6);
    }
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await runCaptured(['analyze', model, '--data', 'tiny', '--split', 'test', '--per-class', '10', '--backend', 'onnx'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^.*mlp\.onnx: full analysis, 100 samples of tiny\/test, accuracy [\d.]+, loss [\d.]+, λ = 0 \(onnx, [\d.]+ s\)$/m);
    expect(stdout).toMatch(/^layer\s+shape\s+rank\s+energy rank/m);
    expect(stdout).toMatch(/^dense1\s+8×196\s+6\s/m);
  });
});

describe('analyze a TensorFlow.js Layers model.json (weights read by the model-files reader)', () => {
  it('finds the dense layers with W = kernelᵀ and its known spectrum', async () => {
    const file = await writeKnownSpectrumLayersModel(join(dir, 'layers-model'));
    const { code, stdout, stderr } = await runCaptured(['analyze', file, '--weights-only', '--singular-values', '--json', '--backend', 'onnx'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as AnalysisJson;
    expect(doc.layers.map((l) => l.shape)).toEqual([
      [8, 196],
      [10, 8],
    ]);
    doc.layers[0].singularValues!.forEach((s, j) => expect(s, `σ_${j + 1}`).toBeCloseTo(sorted[j], 6));
    expect(doc.layers[0].metrics.numericalRank).toBe(6);
  });
});

describe('compress', () => {
  it('--rank 2: the relative error is the spectral tail, accuracy before and after, a factorized .onnx', async () => {
    const out = join(dir, 'rank2.onnx');
    const { code, stdout } = await runCaptured(['compress', model, '--rank', '2', '--data', 'tiny', '--json', '--out', out, '--backend', 'onnx'], dir);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as CompressionJson;
    const [dense1, dense2] = doc.layers;
    expect(dense1).toMatchObject({ layer: 'dense1.z', rank: 2, weightsBefore: 8 * 196, weightsAfter: 2 * (8 + 196) });
    expect(dense1.relativeError).toBeCloseTo(Math.hypot(...sorted.slice(2)) / frobenius, 6);
    expect(dense2.rank).toBe(2);
    expect(doc.paramsAfter).toBe(doc.paramsBefore - 8 * 196 + 2 * 204 - 80 + 2 * 18);
    expect(doc.accuracyBefore).toBeGreaterThan(0);
    expect(doc.accuracyAfter).not.toBeNull();
    const reread = await runCaptured(['analyze', out, '--weights-only', '--json', '--backend', 'onnx'], dir);
    expect(reread.code).toBe(0);
    const ranks = (JSON.parse(reread.stdout) as AnalysisJson).layers.map((l) => l.metrics.numericalRank);
    expect(Math.max(...(ranks as number[]))).toBeLessThanOrEqual(2);
  });
});
