import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idxBytes } from './__fixtures__/idx-bytes.js';
import { histogramStatistics } from './__fixtures__/histogram-statistics.js';
import { classCounts } from './class-counts.js';
import { mnistDataDir } from './idx-image-files.js';
import { loadMnist } from './load-mnist.js';
import { PIXEL_STATISTICS, pixelStatistics } from './pixel-statistics.js';
import { validateDataset } from './validate-dataset.js';

// Published facts about MNIST, independent of this package's code.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('loadMnist', () => {
  it('loads 60000 + 10000 genuine MNIST images fast, and instantly the second time', () => {
    let start = performance.now();
    const { train, test } = loadMnist();
    const cold = performance.now() - start;
    start = performance.now();
    const again = loadMnist();
    const warm = performance.now() - start;
    console.log(`loadMnist: first load ${cold.toFixed(0)} ms, cached ${warm.toFixed(1)} ms`);
    expect(warm).toBeLessThan(50);
    expect(again.train.x).toBe(train.x);

    expect([train.name, test.name]).toEqual(['mnist/train', 'mnist/test']);
    expect([train.size, test.size]).toEqual([60000, 10000]);
    expect(train.sampleShape).toEqual([784]);
    expect(Array.from(train.y.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.y.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(Array.from(classCounts(train))).toEqual(TRAIN_COUNTS);
    expect(Array.from(classCounts(test))).toEqual(TEST_COUNTS);
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    validateDataset(train);
    validateDataset(test);
  });

  it('maps pixel p to p / 255 by default, matching the raw file bytes', () => {
    const { train } = loadMnist();
    const raw = readFileSync(join(mnistDataDir(), 'train-images-idx3-ubyte'));
    // Every 997th pixel across the whole file, read straight from the bytes after the 16-byte header.
    let worst = 0;
    for (let i = 0; i < train.x.length; i += 997) worst = Math.max(worst, Math.abs(train.x[i] - raw[16 + i] / 255));
    expect(worst).toBeLessThanOrEqual(1e-7);
  });

  it('documents standardization constants that match the training pixels to 1e-4', () => {
    const raw = readFileSync(join(mnistDataDir(), 'train-images-idx3-ubyte')).subarray(16);
    const reference = histogramStatistics(raw);
    expect(Math.abs(reference.mean - PIXEL_STATISTICS.mnist.mean)).toBeLessThan(1e-4);
    expect(Math.abs(reference.std - PIXEL_STATISTICS.mnist.std)).toBeLessThan(1e-4);
    const slice = raw.subarray(0, 784 * 1000);
    const computed = pixelStatistics(slice);
    const expected = histogramStatistics(slice);
    expect(Math.abs(computed.mean - expected.mean)).toBeLessThan(1e-10);
    expect(Math.abs(computed.std - expected.std)).toBeLessThan(1e-10);
  });

  describe('normalization and layout (on a crafted 3-image folder read as MNIST)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-small-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // Pixels 0..255 spread over 2 train images of 2×3 and 1 test image.
    const trainPixels = [0, 51, 102, 153, 204, 255, 10, 20, 30, 40, 50, 60];
    const testPixels = [255, 0, 128, 64, 32, 16];
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 2, 3], trainPixels));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], [3, 9]));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [1, 2, 3], testPixels)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [1], [0])));
    const worstError = (actual: Float32Array, expected: number[]) =>
      Math.max(...expected.map((e, i) => Math.abs(actual[i] - e)));

    it('defaults to p / 255 with the flat layout; image layout is [1, rows, cols]', () => {
      const flat = loadMnist({ dir });
      expect(flat.train.sampleShape).toEqual([6]);
      expect(Array.from(flat.train.y)).toEqual([3, 9]);
      expect(worstError(flat.test.x, testPixels.map((p) => p / 255))).toBeLessThan(1e-7);
      const image = loadMnist({ dir, layout: 'image' });
      expect(image.test.sampleShape).toEqual([1, 2, 3]);
      expect(image.test.x).toBe(flat.test.x);
    });

    it("'standardize' uses the documented MNIST constants on both splits", () => {
      const { mean, std } = PIXEL_STATISTICS.mnist;
      const { train, test } = loadMnist({ dir, normalization: 'standardize' });
      expect(worstError(train.x, trainPixels.map((p) => (p / 255 - mean) / std))).toBeLessThan(1e-6);
      expect(worstError(test.x, testPixels.map((p) => (p / 255 - mean) / std))).toBeLessThan(1e-6);
    });

    it("'standardize-train' uses the training split's mean and population std on both splits", () => {
      const scaled = trainPixels.map((p) => p / 255);
      const mean = scaled.reduce((a, b) => a + b) / scaled.length;
      const std = Math.sqrt(scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / scaled.length);
      const { train, test } = loadMnist({ dir, normalization: 'standardize-train' });
      expect(worstError(train.x, scaled.map((v) => (v - mean) / std))).toBeLessThan(1e-6);
      expect(worstError(test.x, testPixels.map((p) => (p / 255 - mean) / std))).toBeLessThan(1e-6);
    });

    it("'raw' keeps 0..255 and { mean, std } applies the given constants", () => {
      expect(Array.from(loadMnist({ dir, normalization: 'raw' }).test.x)).toEqual(testPixels);
      const custom = loadMnist({ dir, normalization: { mean: 0.5, std: 0.25 } });
      expect(worstError(custom.test.x, testPixels.map((p) => (p / 255 - 0.5) / 0.25))).toBeLessThan(1e-6);
    });

    it('rejects unknown layouts, modes and degenerate statistics', () => {
      expect(() => loadMnist({ dir, layout: 'nhwc' as 'flat' })).toThrow("layout: expected 'flat' or 'image', found \"nhwc\"");
      expect(() => loadMnist({ dir, normalization: { mean: 0, std: 0 } })).toThrow('expected finite mean and std > 0');
      expect(() => loadMnist({ dir, normalization: 'zscore' as 'unit' })).toThrow('normalization: expected');
    });
  });
});
