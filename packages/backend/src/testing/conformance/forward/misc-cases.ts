/** Forward cases of batch norm, Identity, Constant, Cast, and small end-to-end networks. */
import type { Value } from '../../../ir/builder.js';
import { forwardCase, type ForwardCaseBuilder } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

function batchNorm(c: ForwardCaseBuilder, shape: readonly number[], training: boolean): Value[] {
  const channels = shape[1];
  const x = c.input('X', shape, 'normal');
  const scale = c.param('scale', [channels]);
  const bias = c.param('bias', [channels]);
  const mean = c.param('mean', [channels]);
  const variance = c.param('var', [channels], 'positive');
  if (!training) return [c.g.batchNorm(x, scale, bias, mean, variance)];
  return c.g.batchNormTraining(x, scale, bias, mean, variance, { momentum: 0.8, epsilon: 1e-3 });
}

export function miscCases(): ForwardCase[] {
  return [
    forwardCase('BatchNormalization: inference, NCHW', (c) => batchNorm(c, [2, 3, 4, 4], false)),
    forwardCase('BatchNormalization: inference, 2-D', (c) => batchNorm(c, [5, 4], false)),
    forwardCase('BatchNormalization: training, NCHW (output and running statistics)', (c) => batchNorm(c, [3, 2, 3, 3], true)),
    forwardCase('BatchNormalization: training, 2-D', (c) => batchNorm(c, [6, 3], true)),
    forwardCase('Identity', (c, g) => g.identity(c.input('X', [2, 3]))),
    forwardCase('Constant: float added to an input', (c, g) => g.add(c.input('X', [2, 3]), c.constant([2, 3]))),
    forwardCase('Constant: int64 and bool outputs', (c) => [c.constant([2, 2], 'int64'), c.constant([3], 'bool')]),
    forwardCase('Cast: float → int64 truncates toward zero', (c, g) => g.cast(c.input('X', [3, 4], 'normal'), 'int64')),
    forwardCase('Cast: int64 → float', (c, g) => g.cast(c.int64('X', [2, 3], -100, 100), 'float32')),
    forwardCase('Cast: bool → float and int64', (c, g) => {
      const b = c.bool('X', [2, 3]);
      return [g.cast(b, 'float32'), g.cast(b, 'int64')];
    }),
    forwardCase('Cast: float → bool (non-zero is true)', (c, g) => g.cast(c.input('X', [3, 4], 'ties'), 'bool')),
    forwardCase('Network: MLP 12-8-4 with softmax cross-entropy, symbolic batch', (c, g) => {
      const x = c.input('x', ['N', 12], 'normal', [6, 12]);
      const y = c.input('y', ['N', 4], 'positive', [6, 4]);
      const h = g.relu(g.gemm(x, c.param('W1', [8, 12]), c.param('b1', [8]), { transB: true }));
      const logits = g.gemm(h, c.param('W2', [4, 8]), c.param('b2', [4]), { transB: true });
      const loss = g.neg(g.reduceMean(g.reduceSum(g.mul(y, g.logSoftmax(logits)), [1], false), undefined, false));
      return [g.softmax(logits), loss];
    }),
    forwardCase('Network: conv, batch norm, pool, dense', (c, g) => {
      const x = c.input('x', ['N', 1, 8, 8], 'normal', [2, 1, 8, 8]);
      const z = g.conv(x, c.param('K', [4, 1, 3, 3]), c.param('kb', [4]), { pads: [1, 1, 1, 1] });
      const n = g.batchNorm(z, c.param('s', [4]), c.param('t', [4]), c.param('m', [4]), c.param('v', [4], 'positive'));
      const p = g.maxPool(g.relu(n), { kernelShape: [2, 2], strides: [2, 2] });
      const a = g.averagePool(p, { kernelShape: [2, 2], strides: [2, 2] });
      return g.gemm(g.flatten(a), c.param('W', [3, 16]), c.param('b', [3]), { transB: true });
    }),
  ];
}
