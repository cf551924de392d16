/** Forward cases of elementwise ops: broadcasting arithmetic, activations, comparisons, Where. */
import type { GraphBuilder, Value } from '../../../ir/builder.js';
import type { Dim } from '../../../ir/types.js';
import { forwardCase, type ForwardInit } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

type Binary = 'add' | 'sub' | 'mul' | 'div';

/** Shape pairs exercising numpy broadcasting: equal, row, column, scalar, rank extension on both sides. */
const BROADCASTS: readonly (readonly [string, readonly number[], readonly number[]])[] = [
  ['same shape', [3, 4], [3, 4]],
  ['row vector', [3, 4], [4]],
  ['column', [3, 4], [3, 1]],
  ['scalar right', [3, 4], []],
  ['scalar left', [], [2, 3]],
  ['both sides broadcast [3,1,4]·[2,1]', [3, 1, 4], [2, 1]],
];

const binary = (op: Binary, label: string, a: readonly number[], b: readonly number[]): ForwardCase =>
  forwardCase(`${op[0].toUpperCase()}${op.slice(1)}: ${label}`, (c, g) => g[op](c.input('A', a), c.input('B', b, op === 'div' ? 'positive' : 'normal')));

const unary = (label: string, init: ForwardInit, apply: (g: GraphBuilder, x: Value) => Value, shape: readonly Dim[] = [3, 5]): ForwardCase =>
  forwardCase(label, (c, g) => apply(g, c.input('X', shape, init)));

export function elementwiseCases(): ForwardCase[] {
  return [
    ...(['add', 'sub', 'mul', 'div'] as const).flatMap((op) => BROADCASTS.map(([label, a, b]) => binary(op, label, a, b))),
    forwardCase('Add: symbolic batch plus bias row', (c, g) => g.add(c.input('A', ['N', 4], 'normal', [5, 4]), c.param('b', [4]))),
    unary('Neg', 'normal', (g, x) => g.neg(x)),
    unary('Exp', 'normal', (g, x) => g.exp(x)),
    unary('Log', 'positive', (g, x) => g.log(x)),
    unary('Sqrt', 'positive', (g, x) => g.sqrt(x)),
    unary('Abs (with zeros)', 'ties', (g, x) => g.abs(x)),
    unary('Relu', 'normal', (g, x) => g.relu(x)),
    unary('Relu (with zeros)', 'ties', (g, x) => g.relu(x)),
    unary('LeakyRelu: default alpha', 'normal', (g, x) => g.node('LeakyRelu', [x], {})[0]),
    unary('LeakyRelu: alpha 0.2', 'normal', (g, x) => g.leakyRelu(x, 0.2)),
    unary('Tanh', 'normal', (g, x) => g.tanh(x)),
    unary('Sigmoid', 'normal', (g, x) => g.sigmoid(x)),
    unary('Sigmoid: large magnitudes', 'large', (g, x) => g.sigmoid(g.sub(x, g.scalar(500)))),
    unary('Clip: min and max', 'normal', (g, x) => g.clip(x, { min: -0.5, max: 0.7 })),
    unary('Clip: min only', 'normal', (g, x) => g.clip(x, { min: 0.1 })),
    unary('Clip: max only', 'normal', (g, x) => g.clip(x, { max: -0.2 })),
    unary('Clip: no bounds', 'normal', (g, x) => g.clip(x, {})),
    forwardCase('Greater: broadcast with ties', (c, g) => g.greater(c.input('A', [3, 4], 'ties'), c.input('B', [4], 'ties'))),
    forwardCase('Equal: float with ties', (c, g) => g.equal(c.input('A', [3, 4], 'ties'), c.input('B', [3, 1], 'ties'))),
    forwardCase('Equal: int64', (c, g) => g.equal(c.int64('A', [4, 3], -1, 1), c.int64('B', [3], -1, 1))),
    forwardCase('Equal: bool', (c, g) => g.equal(c.bool('A', [2, 3]), c.bool('B', [2, 3]))),
    forwardCase('Where: broadcast condition', (c, g) => g.where(c.bool('cond', [3, 1]), c.input('X', [3, 4]), c.input('Y', [4]))),
    forwardCase('Where: condition from Greater', (c, g) => {
      const x = c.input('X', [4, 5]);
      return g.where(g.greater(x, g.scalar(0)), x, g.mul(x, g.scalar(0.1)));
    }),
  ];
}
