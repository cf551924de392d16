import { balancedSubset, classCounts, loadMnist } from '@rank-collapse/datasets';
import { describe, expect, it } from 'vitest';
import { mnistSubsetAsset } from '../scripts/build-playground.ts';
import { decodeMnistAsset, encodeMnistAsset, MNIST_SUBSET } from './mnist-asset.ts';

describe('the shipped MNIST subset', () => {
  it('decodes to exactly the balanced subset that loadMnist + balancedSubset give in Node', () => {
    const decoded = decodeMnistAsset(mnistSubsetAsset());
    const mnist = loadMnist({ normalization: 'unit' });
    const expected = {
      train: balancedSubset(mnist.train, { perClass: MNIST_SUBSET.trainPerClass, seed: MNIST_SUBSET.seed }),
      test: balancedSubset(mnist.test, { perClass: MNIST_SUBSET.testPerClass, seed: MNIST_SUBSET.seed }),
    };
    for (const split of ['train', 'test'] as const) {
      expect(decoded[split].size).toBe(expected[split].size);
      expect(decoded[split].sampleShape).toEqual([784]);
      expect(decoded[split].y).toEqual(expected[split].y);
      // Bit for bit: the same float32 values p/255.
      expect(Buffer.from(decoded[split].x.buffer).equals(Buffer.from(expected[split].x.buffer))).toBe(true);
    }
    expect(Array.from(classCounts(decoded.train))).toEqual(Array(10).fill(200));
    expect(Array.from(classCounts(decoded.test))).toEqual(Array(10).fill(50));
  });

  it('refuses truncated or foreign bytes', () => {
    const asset = encodeMnistAsset({ labels: new Uint8Array([1, 2]), pixels: new Uint8Array(8) }, { labels: new Uint8Array([3]), pixels: new Uint8Array(4) }, 2, 2);
    expect(decodeMnistAsset(asset).train.y).toEqual(Int32Array.from([1, 2]));
    expect(Array.from(decodeMnistAsset(asset).test.x)).toEqual([0, 0, 0, 0]);
    expect(() => decodeMnistAsset(asset.subarray(0, asset.length - 1))).toThrow(/expected 39 bytes, found 38/);
    expect(() => decodeMnistAsset(new TextEncoder().encode('PNG.....' + '\0'.repeat(40)))).toThrow(/magic/);
  });
});
