import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { histogramStatistics } from './__fixtures__/histogram-statistics.js';
import { classCounts } from './class-counts.js';
import { DatasetError } from './dataset-error.js';
import { FASHION_MNIST_DIR } from './idx-image-files.js';
import { loadFashionMnist } from './load-fashion-mnist.js';
import { PIXEL_STATISTICS } from './pixel-statistics.js';

const installed = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
if (!installed) {
  console.log(`Fashion-MNIST tests on the real files skipped: ${FASHION_MNIST_DIR} has no IDX files (apt-get install dataset-fashion-mnist)`);
}

describe('loadFashionMnist', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-fashion-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('says how to install the files when they are missing', () => {
    let error: unknown;
    try {
      loadFashionMnist({ dir: empty });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('not-found');
    expect((error as DatasetError).message).toContain('apt-get install dataset-fashion-mnist');
    expect((error as DatasetError).message).toContain(empty);
  });

  it.skipIf(!installed)('loads the 60000 + 10000 images of the Debian package (gzip IDX)', () => {
    const start = performance.now();
    const { train, test } = loadFashionMnist();
    console.log(`loadFashionMnist: first load ${(performance.now() - start).toFixed(0)} ms`);
    expect([train.name, train.size, test.size]).toEqual(['fashion-mnist/train', 60000, 10000]);
    expect(Array.from(train.y.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test.y.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(Array.from(classCounts(train))).toEqual(new Array(10).fill(6000));
    expect(Array.from(classCounts(test))).toEqual(new Array(10).fill(1000));
    expect(train.classNames?.[9]).toBe('Ankle boot');

    const raw = gunzipSync(readFileSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))).subarray(16);
    let worst = 0;
    for (let i = 0; i < train.x.length; i += 1009) worst = Math.max(worst, Math.abs(train.x[i] - raw[i] / 255));
    expect(worst).toBeLessThanOrEqual(1e-7);
    const reference = histogramStatistics(raw);
    expect(Math.abs(reference.mean - PIXEL_STATISTICS['fashion-mnist'].mean)).toBeLessThan(1e-4);
    expect(Math.abs(reference.std - PIXEL_STATISTICS['fashion-mnist'].std)).toBeLessThan(1e-4);
  });
});
