import { describe, expect, it } from 'vitest';
import { toyDataset } from './__fixtures__/toy-dataset.js';
import { batchCount, batches, epochOrder } from './batches.js';

const source = toyDataset(Array.from({ length: 23 }, (_, i) => i % 4));
const order = (seed: number | string, epoch: number) =>
  [...batches(source, { batchSize: 5, seed, epoch })].flatMap((b) => Array.from(b.indices));

describe('batches', () => {
  it('visits every sample once per epoch; rows and labels follow the indices', () => {
    const list = [...batches(source, { batchSize: 5, seed: 1 })];
    expect(list.map((b) => b.size)).toEqual([5, 5, 5, 5, 3]);
    const seen = list.flatMap((b) => Array.from(b.indices));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const b of list) {
      expect(b.x.length).toBe(b.size * 2);
      b.indices.forEach((j, i) => {
        expect(b.x[2 * i]).toBe(j);
        expect(b.x[2 * i + 1]).toBe(j + 0.5);
        expect(b.y[i]).toBe(j % 4);
      });
    }
  });

  it('fixes the order by (seed, epoch); other epochs and seeds give other orders', () => {
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 3)).toEqual(order(1, 3));
    expect(order(1, 0)).not.toEqual(order(1, 1));
    expect(order(1, 1)).not.toEqual(order(1, 2));
    expect(order(1, 0)).not.toEqual(order(2, 0));
    expect(order('a', 0)).not.toEqual(order(1, 0));
    // The order does not depend on the batch size.
    const big = [...batches(source, { batchSize: 100, seed: 1, epoch: 1 })];
    expect(Array.from(big[0].indices)).toEqual(order(1, 1));
    expect(Array.from(epochOrder(23, 1, 1))).toEqual(order(1, 1));
  });

  it('is not the identity when shuffling, and visits in dataset order with shuffle: false', () => {
    expect(order(1, 0)).not.toEqual(Array.from({ length: 23 }, (_, i) => i));
    const inOrder = [...batches(source, { batchSize: 10, shuffle: false })].flatMap((b) => Array.from(b.indices));
    expect(inOrder).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('drops the short last batch only with dropLast', () => {
    expect([...batches(source, { batchSize: 5, seed: 1, dropLast: true })].map((b) => b.size)).toEqual([5, 5, 5, 5]);
    expect([batchCount(23, 5), batchCount(23, 5, true), batchCount(20, 5, true), batchCount(0, 5)]).toEqual([5, 4, 4, 0]);
  });

  it('checks options when called, not at the first batch', () => {
    expect(() => batches(source, { batchSize: 0, seed: 1 })).toThrow('batchSize: expected an integer ≥ 1, found 0');
    expect(() => batches(source, { batchSize: 4 })).toThrow('seed: expected a seed when shuffle is true');
    expect(() => batches(source, { batchSize: 4, seed: 1, epoch: -1 })).toThrow('epoch: expected an integer ≥ 0, found -1');
  });
});
