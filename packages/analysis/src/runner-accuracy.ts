/** Accuracy of a model run as it is (a ForwardRunner) on a data set: share of samples whose argmax logit is the label. */
import type { Dataset } from '@rank-collapse/datasets';
import type { ForwardRunner } from './forward-runner.js';
import { bindModelInput } from './model-input.js';

/**
 * Streams `data` through `runner` in batches and counts argmax hits.
 * @throws GraphError when the data cannot feed the model (see `bindModelInput`) or the logits are not [n, K].
 */
export async function runnerAccuracy(runner: ForwardRunner, data: Dataset, options: { input?: string; batchSize?: number; model?: string } = {}): Promise<number> {
  const bound = bindModelInput(options.model ?? 'model', runner.inputs, data.sampleShape, options.input);
  const batchSize = options.batchSize ?? 1000;
  const size = data.sampleShape.reduce((p, d) => p * d, 1);
  const K = data.numClasses;
  let correct = 0;
  for (let first = 0; first < data.size; first += batchSize) {
    const n = Math.min(batchSize, data.size - first);
    const out = await runner.run({ [bound.name]: { dims: [n, ...bound.sampleShape], data: data.x.subarray(first * size, (first + n) * size) } }, [runner.logits.name]);
    const z = out[runner.logits.name].data;
    if (z.length !== n * K) throw new RangeError(`${options.model ?? 'model'}: logits "${runner.logits.name}" have ${z.length} values for ${n} samples of ${K} classes`);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (z[i * K + k] > z[i * K + best]) best = k;
      if (best === data.y[first + i]) correct++;
    }
  }
  return correct / data.size;
}
