import { describe, expect, it } from 'vitest';
import { float32 } from '../../../host-tensor.js';
import { GraphBuilder } from '../../../ir/builder.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const tight = { atol: 1e-12, rtol: 1e-12 };
const backend = createReferenceBackend();

function graph(training: boolean, shape: number[]) {
  const g = new GraphBuilder('bn');
  const x = g.input('x', 'float32', shape);
  const [scale, bias, mean, variance] = ['scale', 'bias', 'mean', 'var'].map((n) => g.input(n, 'float32', [shape[1]]));
  if (training) {
    const [y, m, v] = g.batchNormTraining(x, scale, bias, mean, variance, { epsilon: 1e-3, momentum: 0.8 });
    g.output(y, 'y');
    g.output(m, 'runningMean');
    g.output(v, 'runningVar');
  } else g.output(g.batchNorm(x, scale, bias, mean, variance, { epsilon: 1e-3 }), 'y');
  return g.build();
}

// Two channels of [N = 4, C = 2]: channel 0 = 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1 = 10 each.
const x = float32([4, 2], [1, 10, 2, 10, 3, 10, 4, 10]);
const perChannel = { scale: float32([2], [2, 3]), bias: float32([2], [0.5, -1]), mean: float32([2], [1, 4]), var: float32([2], [4, 9]) };

describe('reference BatchNormalization', () => {
  it('training mode normalizes with the biased batch variance and updates running statistics with the unbiased one', async () => {
    const out = await runOnce(backend, graph(true, [4, 2]), { x, ...perChannel });
    const s = Math.sqrt(1.25 + 1e-3);
    const y0 = [1, 2, 3, 4].map((v) => (2 * (v - 2.5)) / s + 0.5);
    expectClose(out.y, [y0[0], -1, y0[1], -1, y0[2], -1, y0[3], -1], tight, 'normalized output');
    expectClose(out.runningMean, [0.8 * 1 + 0.2 * 2.5, 0.8 * 4 + 0.2 * 10], tight, 'running mean');
    expectClose(out.runningVar, [0.8 * 4 + 0.2 * (5 / 3), 0.8 * 9 + 0.2 * 0], tight, 'running var');
  });

  it('training statistics pool over N and the spatial dims of NCHW', async () => {
    // [N = 2, C = 1, 1, 2]: values 0, 2, 4, 6 → mean 3, biased var 5, unbiased 20/3.
    const shape = [2, 1, 1, 2];
    const one = { scale: float32([1], [1]), bias: float32([1], [0]), mean: float32([1], [0]), var: float32([1], [1]) };
    const out = await runOnce(backend, graph(true, shape), { x: float32(shape, [0, 2, 4, 6]), ...one });
    expectClose(out.y, [0, 2, 4, 6].map((v) => (v - 3) / Math.sqrt(5 + 1e-3)), tight, 'normalized NCHW');
    expectClose(out.runningVar, [0.8 + 0.2 * (20 / 3)], tight, 'running var NCHW');
  });

  it('inference mode uses the given mean and variance', async () => {
    const out = await runOnce(backend, graph(false, [4, 2]), { x, ...perChannel });
    expect(Object.keys(out)).toEqual(['y']);
    const y = [1, 10, 2, 10, 3, 10, 4, 10].map((v, i) => (i % 2 === 0 ? (2 * (v - 1)) / Math.sqrt(4.001) + 0.5 : (3 * (v - 4)) / Math.sqrt(9.001) - 1));
    expectClose(out.y, y, tight, 'inference output');
  });
});
