import { sampleSize, type Dataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';

/**
 * A new dataset holding the samples at `indices`, in that order (fresh arrays; repeats allowed).
 * @param name name of the result; default: the source's name.
 * @throws DatasetError (`invalid-options`) when an index is not an integer in 0..N-1.
 */
export function selectSamples(dataset: Dataset, indices: ArrayLike<number>, name = dataset.name): Dataset {
  const width = sampleSize(dataset);
  const x = new Float32Array(indices.length * width);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= dataset.size) {
      throw new DatasetError('invalid-options', `index ${i} into ${dataset.name}`, {
        expected: `an integer in 0..${dataset.size - 1}`,
        found: String(j),
      });
    }
    x.set(dataset.x.subarray(j * width, (j + 1) * width), i * width);
    y[i] = dataset.y[j];
  }
  return {
    name,
    numClasses: dataset.numClasses,
    ...(dataset.classNames !== undefined && { classNames: [...dataset.classNames] }),
    sampleShape: [...dataset.sampleShape],
    size: indices.length,
    x,
    y,
  };
}
