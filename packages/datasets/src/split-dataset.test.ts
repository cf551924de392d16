import { describe, expect, it } from 'vitest';
import { sourceIndices, toyDataset } from './__fixtures__/toy-dataset.js';
import { classCounts } from './class-counts.js';
import { splitDataset } from './split-dataset.js';

// Class sizes 50, 30, 20.
const labels = [...new Array(50).fill(0), ...new Array(30).fill(1), ...new Array(20).fill(2)];
const source = toyDataset(labels);

describe('splitDataset', () => {
  it('partitions the samples: each lands in exactly one split, both keep source order', () => {
    const { train, test } = splitDataset(source, { testFraction: 0.2, seed: 3 });
    const all = [...sourceIndices(train), ...sourceIndices(test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const testOrigin = sourceIndices(test);
    expect(testOrigin).toEqual([...testOrigin].sort((a, b) => a - b));
    expect([train.name, test.name]).toEqual(['toy/train', 'toy/test']);
    expect(Array.from(test.y)).toEqual(testOrigin.map((j) => labels[j]));
  });

  it('keeps class proportions exactly when stratified, hitting testSize by largest remainder', () => {
    expect(Array.from(classCounts(splitDataset(source, { testFraction: 0.2, seed: 3 }).test))).toEqual([10, 6, 4]);
    // 15% of 50/30/20 = 7.5/4.5/3 → 7+1 (tie goes to the lower class), 4, 3 = 15.
    expect(Array.from(classCounts(splitDataset(source, { testSize: 15, seed: 3 }).test))).toEqual([8, 4, 3]);
  });

  it('is fixed by the seed and varies with it; unstratified also hits the size', () => {
    const test = (seed: number, stratify = true) => sourceIndices(splitDataset(source, { testSize: 10, seed, stratify }).test);
    expect(test(1)).toEqual(test(1));
    expect(test(1)).not.toEqual(test(2));
    expect(test(1, false)).toHaveLength(10);
  });

  it('rejects ambiguous or empty splits', () => {
    expect(() => splitDataset(source, { seed: 1 })).toThrow('expected exactly one of testFraction and testSize');
    expect(() => splitDataset(source, { seed: 1, testFraction: 0.1, testSize: 3 })).toThrow('exactly one');
    expect(() => splitDataset(source, { seed: 1, testFraction: 0.001 })).toThrow('testFraction: expected a test split of 1..99 samples, found 0.001 (0 samples)');
    expect(() => splitDataset(source, { seed: 1, testSize: 100 })).toThrow('testSize');
  });
});
