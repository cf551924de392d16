/** Forward cases of data-movement ops, on float32 and int64 tensors. */
import type { GraphBuilder, Value } from '../../../ir/builder.js';
import type { Dim, OpAttrs } from '../../../ir/types.js';
import { forwardCase } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

const on = (label: string, shape: readonly Dim[], apply: (g: GraphBuilder, x: Value) => Value, feedShape?: readonly number[]): ForwardCase =>
  forwardCase(label, (c, g) => apply(g, c.input('X', shape, 'normal', feedShape)));

const slice = (label: string, shape: readonly number[], attrs: OpAttrs['Slice']): ForwardCase => on(`Slice: ${label}`, shape, (g, x) => g.slice(x, attrs));

export function layoutCases(): ForwardCase[] {
  return [
    on('Reshape: -1 inferred', [2, 3, 4], (g, x) => g.reshape(x, [4, -1])),
    on('Reshape: 0 copies a dim', [2, 3, 4], (g, x) => g.reshape(x, [0, 12])),
    on('Reshape: symbolic batch through -1', ['N', 3, 4], (g, x) => g.reshape(x, [-1, 12]), [5, 3, 4]),
    forwardCase('Reshape: int64', (c, g) => g.reshape(c.int64('X', [2, 6]), [3, 4])),
    on('Transpose: default reverses dims', [2, 3, 4], (g, x) => g.transpose(x)),
    on('Transpose: NCHW → NHWC', [2, 3, 4, 5], (g, x) => g.transpose(x, [0, 2, 3, 1])),
    on('Transpose: 2-D', [3, 7], (g, x) => g.transpose(x, [1, 0])),
    forwardCase('Transpose: int64', (c, g) => g.transpose(c.int64('X', [2, 3, 2]), [2, 0, 1])),
    on('Flatten: axis 1', [2, 3, 4], (g, x) => g.flatten(x, 1)),
    on('Flatten: axis 0', [2, 3, 4], (g, x) => g.flatten(x, 0)),
    on('Flatten: axis 2', [2, 3, 4], (g, x) => g.flatten(x, 2)),
    on('Flatten: axis −1', [2, 3, 4], (g, x) => g.flatten(x, -1)),
    on('Flatten: symbolic batch', ['N', 2, 3], (g, x) => g.flatten(x), [4, 2, 3]),
    on('Squeeze: two axes', [1, 3, 1, 2], (g, x) => g.squeeze(x, [0, 2])),
    on('Squeeze: negative axis', [3, 1], (g, x) => g.squeeze(x, [-1])),
    on('Unsqueeze: front and back', [3, 2], (g, x) => g.unsqueeze(x, [0, 3])),
    on('Unsqueeze: negative axis', [3, 2], (g, x) => g.unsqueeze(x, [-2])),
    on('Expand: column to matrix', [3, 1], (g, x) => g.expand(x, [3, 4])),
    on('Expand: rank extension', [1, 4], (g, x) => g.expand(x, [2, 3, 4])),
    on('Expand: target with ones keeps dims', [2, 3], (g, x) => g.expand(x, [1, 1])),
    forwardCase('Expand: to a symbolic batch', (c, g) => {
      c.input('batch', ['N', 2], 'normal', [3, 2]);
      return g.expand(c.param('b', [1, 2]), ['N', 2]);
    }),
    forwardCase('Expand: int64', (c, g) => g.expand(c.int64('X', [1, 3]), [2, 3])),
    forwardCase('Concat: axis 0', (c, g) => g.concat([c.input('A', [2, 3]), c.input('B', [1, 3]), c.input('C', [3, 3])], 0)),
    forwardCase('Concat: axis 1', (c, g) => g.concat([c.input('A', [2, 3]), c.input('B', [2, 1])], 1)),
    forwardCase('Concat: axis −1 of 4-D', (c, g) => g.concat([c.input('A', [2, 2, 2, 1]), c.input('B', [2, 2, 2, 3])], -1)),
    forwardCase('Concat: single input', (c, g) => g.concat([c.input('A', [2, 3])], 0)),
    forwardCase('Concat: int64', (c, g) => g.concat([c.int64('A', [2, 2]), c.int64('B', [2, 1])], 1)),
    slice('plain', [10], { starts: [2], ends: [7] }),
    slice('ends beyond the dim clamp', [10], { starts: [4], ends: [1000] }),
    slice('negative starts and ends', [10], { starts: [-4], ends: [-1] }),
    slice('starts before the beginning clamp', [10], { starts: [-100], ends: [3] }),
    slice('step 2', [10], { starts: [1], ends: [10], steps: [2] }),
    slice('negative step', [10], { starts: [8], ends: [1], steps: [-3] }),
    slice('negative step to the beginning', [10], { starts: [-1], ends: [-1000], steps: [-1] }),
    slice('negative step from beyond the end', [10], { starts: [1000], ends: [5], steps: [-1] }),
    slice('chosen axes of 3-D', [4, 5, 6], { starts: [1, -4], ends: [3, 1000], axes: [0, 2] }),
    slice('negative axis with step', [4, 6], { starts: [0], ends: [6], axes: [-1], steps: [2] }),
    forwardCase('Slice: int64', (c, g) => g.slice(c.int64('X', [3, 4]), { starts: [1, 0], ends: [3, 4], steps: [1, 3] })),
    on('Pad: 2-D, zeros', [2, 3], (g, x) => g.pad(x, [1, 0, 2, 1])),
    on('Pad: 4-D spatial, value 1.5', [1, 2, 3, 3], (g, x) => g.pad(x, [0, 0, 1, 2, 0, 0, 2, 1], 1.5)),
    on('Pad: nothing', [2, 2], (g, x) => g.pad(x, [0, 0, 0, 0])),
    forwardCase('Pad: int64, value 7', (c, g) => g.pad(c.int64('X', [2, 2]), [1, 1, 0, 0], 7)),
  ];
}
