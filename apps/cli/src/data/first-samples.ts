import type { Dataset } from '@rank-collapse/datasets';
import { UsageError } from '../cli-error.js';

/**
 * The first `count` samples of a split, in file order (`--first`): a fixed subset to compare with other tools.
 * @throws UsageError when the split has fewer samples.
 */
export function firstSamples(data: Dataset, count: number): Dataset {
  if (count > data.size) throw new UsageError(`--first ${count}: ${data.name} has only ${data.size} samples`);
  const size = data.sampleShape.reduce((p, d) => p * d, 1);
  return { ...data, name: `${data.name}[0:${count}]`, x: data.x.subarray(0, count * size), y: data.y.subarray(0, count), size: count };
}
