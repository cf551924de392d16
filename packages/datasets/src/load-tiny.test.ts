import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classCounts } from './class-counts.js';
import { mnistDataDir } from './idx-image-files.js';
import { loadTiny } from './load-tiny.js';
import { PIXEL_STATISTICS } from './pixel-statistics.js';
import { validateDataset } from './validate-dataset.js';

/** Indices of the first `perClass` samples of each class, by a plain scan of the raw label bytes. */
function firstPerClass(labels: Uint8Array, perClass: number): number[] {
  const taken = new Array(10).fill(0);
  const out: number[] = [];
  labels.forEach((label, i) => {
    if (taken[label] < perClass) {
      taken[label]++;
      out.push(i);
    }
  });
  return out;
}

describe('loadTiny', () => {
  const dir = mnistDataDir();

  it('is 100 images per class of MNIST train and test, 14×14, in file order', () => {
    const { train, test } = loadTiny();
    expect([train.name, train.size, test.name, test.size]).toEqual(['tiny/train', 1000, 'tiny/test', 1000]);
    expect(train.sampleShape).toEqual([196]);
    expect(Array.from(classCounts(train))).toEqual(new Array(10).fill(100));
    expect(Array.from(classCounts(test))).toEqual(new Array(10).fill(100));
    const trainLabels = readFileSync(join(dir, 'train-labels-idx1-ubyte')).subarray(8);
    const chosen = firstPerClass(trainLabels, 100);
    expect(Array.from(train.y)).toEqual(chosen.map((i) => trainLabels[i]));
    validateDataset(train);
    validateDataset(test);
  });

  it('averages 2×2 blocks of the raw MNIST pixels', () => {
    const { train } = loadTiny({ normalization: 'raw', layout: 'image' });
    expect(train.sampleShape).toEqual([1, 14, 14]);
    const images = readFileSync(join(dir, 'train-images-idx3-ubyte')).subarray(16);
    const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte')).subarray(8);
    const chosen = firstPerClass(labels, 100);
    let worst = 0;
    for (const s of [0, 1, 500, 999]) {
      const source = chosen[s] * 784;
      for (let r = 0; r < 14; r++) {
        for (let c = 0; c < 14; c++) {
          const at = (row: number, col: number) => images[source + row * 28 + col];
          const expected = (at(2 * r, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c) + at(2 * r + 1, 2 * c + 1)) / 4;
          worst = Math.max(worst, Math.abs(train.x[s * 196 + r * 14 + c] - expected));
        }
      }
    }
    expect(worst).toBe(0);
  });

  it('documents standardization constants that match its training pixels to 1e-4', () => {
    const { train } = loadTiny({ normalization: 'unit' });
    let sum = 0;
    for (const v of train.x) sum += v;
    const mean = sum / train.x.length;
    let squares = 0;
    for (const v of train.x) squares += (v - mean) ** 2;
    const std = Math.sqrt(squares / train.x.length);
    expect(Math.abs(mean - PIXEL_STATISTICS.tiny.mean)).toBeLessThan(1e-4);
    expect(Math.abs(std - PIXEL_STATISTICS.tiny.std)).toBeLessThan(1e-4);
    const standardized = loadTiny({ normalization: 'standardize' }).train.x;
    expect(Math.abs(standardized[300] - (train.x[300] - PIXEL_STATISTICS.tiny.mean) / PIXEL_STATISTICS.tiny.std)).toBeLessThan(1e-5);
  });
});
