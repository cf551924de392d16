import { CERTIFICATE_FIELDS, SPECTRAL_METRIC_FIELDS } from '@rank-collapse/metrics';
import { WEIGHT_ROLES, type WeightRole } from '@rank-collapse/model-files';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COLLAPSE_FIELDS, LAYER_KINDS, LAYER_ROW_FIELDS, compressionLabel, extraRankField, prefixed, storedEpochRecord, type EpochRecord, type LayerKind, type LayerRow } from './index.js';

describe('row contract', () => {
  it('names every layer kind a model file can give a weight matrix', () => {
    expect([...LAYER_KINDS]).toEqual([...WEIGHT_ROLES]);
    expectTypeOf<LayerKind>().toEqualTypeOf<WeightRole>();
  });

  it('lists every LayerRow field once: spectral and certificate terms of metrics, both collapse prefixes', () => {
    expect(new Set(LAYER_ROW_FIELDS).size).toBe(LAYER_ROW_FIELDS.length);
    for (const field of SPECTRAL_METRIC_FIELDS) expect(LAYER_ROW_FIELDS).toContain(field);
    for (const field of CERTIFICATE_FIELDS) expect(LAYER_ROW_FIELDS).toContain(field);
    for (const field of COLLAPSE_FIELDS) expect(LAYER_ROW_FIELDS).toEqual(expect.arrayContaining([prefixed('input', field), prefixed('delta', field)]));
    expect(prefixed('delta', 'scaleFreeTcv')).toBe('deltaScaleFreeTcv');
    expectTypeOf<(typeof LAYER_ROW_FIELDS)[number]>().toExtend<keyof LayerRow>();
  });

  it('flattens a training record into the stored form, weight norms as norm:<param>', () => {
    const record: EpochRecord = { epoch: 2, steps: 40, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.6, testAccuracy: 0.85, weightNorms: { 'dense1.weight': 3, b: 0.5 }, penalty: 0.01, lr: 0.05, seconds: 1.5 };
    expect(storedEpochRecord(record, { backend: 'onnx' })).toEqual({
      epoch: 2, steps: 40, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.6, testAccuracy: 0.85, penalty: 0.01, lr: 0.05, seconds: 1.5, backend: 'onnx', 'norm:dense1.weight': 3, 'norm:b': 0.5,
    });
  });

  it('names extra ranks and compression choices as sweep files write them', () => {
    expect(extraRankField(0.01)).toBe('numericalRank@0.01');
    expect([compressionLabel({ rank: 'K' }), compressionLabel({ rank: 20 }), compressionLabel({ energy: 0.01 })]).toEqual(['rank=K', 'rank=20', 'energy=0.01']);
  });
});
