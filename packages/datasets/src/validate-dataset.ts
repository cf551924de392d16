import { sampleSize, type Dataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';

/**
 * Checks the {@link Dataset} contract: array types and lengths, positive integer shape, K ≥ 1, every label in
 * 0..K-1, and every value finite. Use it on datasets built outside this package.
 * @throws DatasetError (`inconsistent`) naming the dataset and the first violation found.
 */
export function validateDataset(dataset: Dataset): void {
  const fail = (problem: string, expected: string, found: string): never => {
    throw new DatasetError('inconsistent', `${dataset.name}: ${problem}`, { expected, found });
  };
  if (!Number.isInteger(dataset.numClasses) || dataset.numClasses < 1) {
    fail('numClasses', 'an integer ≥ 1', String(dataset.numClasses));
  }
  if (!dataset.sampleShape.every((d) => Number.isInteger(d) && d > 0)) {
    fail('sampleShape', 'positive integers', `[${dataset.sampleShape.join(', ')}]`);
  }
  if (!(dataset.x instanceof Float32Array)) fail('x', 'a Float32Array', Object.prototype.toString.call(dataset.x));
  if (!(dataset.y instanceof Int32Array)) fail('y', 'an Int32Array', Object.prototype.toString.call(dataset.y));
  if (dataset.y.length !== dataset.size) fail('y length', `size = ${dataset.size}`, String(dataset.y.length));
  const expectedLength = dataset.size * sampleSize(dataset);
  if (dataset.x.length !== expectedLength) fail('x length', `size × prod(sampleShape) = ${expectedLength}`, String(dataset.x.length));
  for (let i = 0; i < dataset.size; i++) {
    const label = dataset.y[i];
    if (label < 0 || label >= dataset.numClasses) fail(`label of sample ${i}`, `0..${dataset.numClasses - 1}`, String(label));
  }
  for (let i = 0; i < dataset.x.length; i++) {
    if (!Number.isFinite(dataset.x[i])) fail(`value ${i} of x`, 'a finite number', String(dataset.x[i]));
  }
  if (dataset.classNames !== undefined && dataset.classNames.length !== dataset.numClasses) {
    fail('classNames length', `numClasses = ${dataset.numClasses}`, String(dataset.classNames.length));
  }
}
