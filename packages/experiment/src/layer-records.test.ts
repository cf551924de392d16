import type { AnalysisResult, LayerRow } from '@rank-collapse/analysis';
import { describe, expect, it } from 'vitest';
import { layerRecords, rankAbove } from './layer-records.js';

describe('rankAbove', () => {
  it('counts σ_j > tol·σ_1', () => {
    expect(rankAbove([10, 5, 0.2, 0.02, 0], 1e-2)).toBe(3);
    expect(rankAbove([10, 5, 0.2, 0.02, 0], 1e-3)).toBe(4);
    expect(rankAbove([0, 0], 1e-3)).toBe(0);
    expect(rankAbove([], 1e-3)).toBe(0);
  });
});

describe('layerRecords', () => {
  const row = { layer: 'dense1', index: 0, kind: 'dense', rows: 3, cols: 4, K: 2, numericalRank: 3, singularValues: [4, 2, 0.001] } as LayerRow;
  const result: AnalysisResult = { rows: [row], sampleCount: 100, accuracy: 0.9, loss: 0.3, seconds: 1 };

  it('adds the analysis-wide numbers and one numericalRank@tol per extra tolerance', () => {
    const [record] = layerRecords(result, { weightDecay: 1e-3, extraRankTolerances: [1e-2], keepSingularValues: false });
    expect(record).toMatchObject({ layer: 'dense1', index: 0, analysisAccuracy: 0.9, analysisLoss: 0.3, analysisSamples: 100, weightDecay: 1e-3, 'numericalRank@0.01': 2 });
    expect(record.singularValues).toBeUndefined();
  });

  it('keeps singular values when asked (the store moves them to its spectra table)', () => {
    const [record] = layerRecords(result, { weightDecay: 0, extraRankTolerances: [], keepSingularValues: true });
    expect(record.singularValues).toEqual([4, 2, 0.001]);
  });
});
