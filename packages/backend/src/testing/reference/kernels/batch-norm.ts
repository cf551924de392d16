/** BatchNormalization in inference and training mode (see the op doc for the running-statistics update). */
import { RunError } from '../../../errors.js';
import { formatShape } from '../../../ir/shape.js';
import { asFloat, countOf, floatTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';

export const BATCH_NORM_KERNELS: KernelTable<'BatchNormalization'> = {
  BatchNormalization: (inputs, attrs, { where }) => {
    const [x, scale, shift, mean, variance] = inputs.map((t, i) => asFloat(t, where, ['input X', 'scale', 'B', 'mean', 'var'][i]));
    if (x.shape.length < 2) throw new RunError(`${where}: X ${formatShape(x.shape)} must have rank ≥ 2`);
    const [n, c] = x.shape;
    for (const t of [scale, shift, mean, variance]) {
      if (t.shape.length !== 1 || t.shape[0] !== c) throw new RunError(`${where}: per-channel input ${formatShape(t.shape)} must be [${c}]`);
    }
    const inner = countOf(x.shape.slice(2));
    const epsilon = attrs.epsilon ?? 1e-5;
    const momentum = attrs.momentum ?? 0.9;
    const training = attrs.training ?? false;
    const count = n * inner;
    const y = floatTensor(x.shape);
    const runningMean = floatTensor([c]);
    const runningVar = floatTensor([c]);
    for (let ch = 0; ch < c; ch++) {
      let mu = mean.data[ch];
      let sigma2 = variance.data[ch];
      if (training) {
        mu = 0;
        for (let b = 0; b < n; b++) for (let k = 0; k < inner; k++) mu += x.data[(b * c + ch) * inner + k];
        mu /= count;
        // Two-pass variance: exact enough for an oracle and free of cancellation.
        let squares = 0;
        for (let b = 0; b < n; b++) for (let k = 0; k < inner; k++) squares += (x.data[(b * c + ch) * inner + k] - mu) ** 2;
        sigma2 = squares / count;
        runningMean.data[ch] = momentum * mean.data[ch] + (1 - momentum) * mu;
        runningVar.data[ch] = momentum * variance.data[ch] + (1 - momentum) * (squares / (count - 1));
      }
      const factor = scale.data[ch] / Math.sqrt(sigma2 + epsilon);
      for (let b = 0; b < n; b++) {
        for (let k = 0; k < inner; k++) {
          const i = (b * c + ch) * inner + k;
          y.data[i] = factor * (x.data[i] - mu) + shift.data[ch];
        }
      }
    }
    return training ? [y, runningMean, runningVar] : [y];
  },
};

