import { describe, expect, it } from 'vitest';
import { toyDataset } from './__fixtures__/toy-dataset.js';
import { validateDataset } from './validate-dataset.js';

describe('validateDataset', () => {
  it('accepts a consistent dataset', () => {
    expect(() => validateDataset(toyDataset([0, 1, 2]))).not.toThrow();
  });

  it.each([
    ['x length', { x: new Float32Array(5) }, 'toy: x length: expected size × prod(sampleShape) = 6, found 5'],
    ['y length', { y: new Int32Array(2) }, 'toy: y length: expected size = 3, found 2'],
    ['label range', { y: new Int32Array([0, 1, 3]) }, 'toy: label of sample 2: expected 0..2, found 3'],
    ['non-finite', { x: new Float32Array([0, 1, NaN, 3, 4, 5]) }, 'toy: value 2 of x: expected a finite number, found NaN'],
    ['shape', { sampleShape: [2, 0] }, 'toy: sampleShape: expected positive integers, found [2, 0]'],
    ['class names', { classNames: ['a'] }, 'toy: classNames length: expected numClasses = 3, found 1'],
    ['x type', { x: new Float64Array(6) as unknown as Float32Array }, 'toy: x: expected a Float32Array'],
  ])('rejects a wrong %s', (_, change, message) => {
    expect(() => validateDataset({ ...toyDataset([0, 1, 2]), ...change })).toThrow(message);
  });
});
