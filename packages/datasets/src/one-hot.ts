import { DatasetError } from './dataset-error.js';

/**
 * One-hot encoding: N labels → N × K Float32Array, row i has 1 at column labels[i] and 0 elsewhere.
 * @throws DatasetError (`invalid-options`) when K is not a positive integer or a label is not an integer in 0..K-1.
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new DatasetError('invalid-options', 'numClasses', { expected: 'an integer ≥ 1', found: String(numClasses) });
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new DatasetError('invalid-options', `label ${i}`, { expected: `an integer in 0..${numClasses - 1}`, found: String(label) });
    }
    out[i * numClasses + label] = 1;
  }
  return out;
}
