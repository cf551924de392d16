import { describe, expect, it } from 'vitest';
import { sourceIndices, toyDataset } from './__fixtures__/toy-dataset.js';
import { balancedSubset } from './balanced-subset.js';
import { classCounts } from './class-counts.js';

// 30 samples: class 0 ×12, class 1 ×10, class 2 ×8, interleaved.
const labels = Array.from({ length: 30 }, (_, i) => (i < 24 ? i % 3 : i % 2));
const source = toyDataset(labels);

describe('balancedSubset', () => {
  it('keeps exactly perClass samples of each class, in source order, with their rows', () => {
    const subset = balancedSubset(source, { perClass: 8, seed: 1 });
    expect(Array.from(classCounts(subset))).toEqual([8, 8, 8]);
    const origin = sourceIndices(subset);
    expect(origin).toEqual([...origin].sort((a, b) => a - b));
    origin.forEach((j, i) => {
      expect(subset.y[i]).toBe(labels[j]);
      expect(subset.x[2 * i + 1]).toBe(j + 0.5);
    });
    expect(subset.name).toBe('toy');
  });

  it('is fixed by the seed, varies with it, and takes the first perClass without one', () => {
    const pick = (seed?: number) => sourceIndices(balancedSubset(source, { perClass: 3, seed }));
    expect(pick(5)).toEqual(pick(5));
    expect(pick(5)).not.toEqual(pick(6));
    expect(pick()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('names the class that is too small, with requested and available counts', () => {
    expect(() => balancedSubset(source, { perClass: 9 })).toThrow(
      expect.objectContaining({ code: 'insufficient-samples', message: 'toy: class 2 has too few samples: expected at least 9, found 8' }),
    );
    expect(() => balancedSubset(source, { perClass: 0 })).toThrow('perClass: expected a positive integer, found 0');
  });
});

describe('balancedSubset on malformed labels', () => {
  it('reports a label outside 0..K-1 instead of failing obscurely', () => {
    const bad = { ...toyDataset([0, 1, 2]), numClasses: 2 };
    expect(() => balancedSubset(bad, { perClass: 1 })).toThrow('toy: label of sample 2: expected an integer in 0..1, found 2');
  });
});
