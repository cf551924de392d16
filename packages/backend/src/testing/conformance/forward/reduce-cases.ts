/** Forward cases of reductions and (log-)softmax, including large logits that need the max subtracted. */
import type { GraphBuilder, Value } from '../../../ir/builder.js';
import type { Dim } from '../../../ir/types.js';
import { forwardCase, type ForwardInit } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

const on = (label: string, shape: readonly Dim[], apply: (g: GraphBuilder, x: Value) => Value, init: ForwardInit = 'normal', feedShape?: readonly number[]): ForwardCase =>
  forwardCase(label, (c, g) => apply(g, c.input('X', shape, init, feedShape)));

const REDUCE = [
  ['ReduceSum', 'reduceSum'],
  ['ReduceMean', 'reduceMean'],
  ['ReduceMax', 'reduceMax'],
] as const;

export function reduceCases(): ForwardCase[] {
  return [
    ...REDUCE.flatMap(([op, method]) => [
      on(`${op}: all axes, keepdims`, [3, 4, 2], (g, x) => g[method](x)),
      on(`${op}: all axes, no keepdims`, [3, 4], (g, x) => g[method](x, undefined, false)),
      on(`${op}: axis 1, no keepdims`, [3, 4, 2], (g, x) => g[method](x, [1], false)),
      on(`${op}: axes 0 and 2, keepdims`, [3, 4, 2], (g, x) => g[method](x, [0, 2], true)),
      on(`${op}: negative axis`, [3, 4], (g, x) => g[method](x, [-1], false)),
      on(`${op}: over the symbolic batch`, ['N', 4], (g, x) => g[method](x, [0], false), 'normal', [6, 4]),
    ]),
    on('ReduceMax: ties', [4, 5], (g, x) => g.reduceMax(x, [1], false), 'ties'),
    on('Softmax: last axis', [4, 6], (g, x) => g.softmax(x)),
    on('Softmax: axis 1 of 3-D', [2, 5, 3], (g, x) => g.softmax(x, 1)),
    on('Softmax: axis 0', [5, 3], (g, x) => g.softmax(x, 0)),
    on('Softmax: large logits', [3, 10], (g, x) => g.softmax(x), 'large'),
    on('LogSoftmax: last axis', [4, 6], (g, x) => g.logSoftmax(x)),
    on('LogSoftmax: axis 1 of 3-D', [2, 5, 3], (g, x) => g.logSoftmax(x, 1)),
    on('LogSoftmax: large logits', [3, 10], (g, x) => g.logSoftmax(x), 'large'),
  ];
}
