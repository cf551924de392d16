import { describe, expect, it } from 'vitest';
import { sourceIndices, toyDataset } from './__fixtures__/toy-dataset.js';
import { selectSamples } from './select-samples.js';

describe('selectSamples', () => {
  it('copies the chosen rows in the given order, repeats allowed', () => {
    const source = { ...toyDataset([0, 1, 0, 1]), classNames: ['a', 'b'] };
    const picked = selectSamples(source, [3, 0, 3], 'picked');
    expect(sourceIndices(picked)).toEqual([3, 0, 3]);
    expect(Array.from(picked.y)).toEqual([1, 0, 1]);
    expect([picked.name, picked.size, picked.classNames]).toEqual(['picked', 3, ['a', 'b']]);
    picked.x[0] = -1;
    expect(source.x[6]).toBe(3);
  });

  it('rejects indices outside 0..N-1', () => {
    expect(() => selectSamples(toyDataset([0, 1]), [0, 2])).toThrow('index 1 into toy: expected an integer in 0..1, found 2');
  });
});
