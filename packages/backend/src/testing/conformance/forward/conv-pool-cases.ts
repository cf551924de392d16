/** Forward cases of Conv, ConvTranspose and pooling over strides, pads, dilations and groups. */
import type { OpAttrs } from '../../../ir/types.js';
import { forwardCase } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

const conv = (label: string, x: readonly number[], w: readonly number[], bias: boolean, attrs: OpAttrs['Conv']): ForwardCase =>
  forwardCase(`Conv: ${label}`, (c, g) => g.conv(c.input('X', x), c.param('W', w), bias ? c.param('B', [w[0]]) : undefined, attrs));

const convTranspose = (label: string, x: readonly number[], w: readonly number[], bias: boolean, attrs: OpAttrs['ConvTranspose']): ForwardCase =>
  forwardCase(`ConvTranspose: ${label}`, (c, g) => g.convTranspose(c.input('X', x), c.param('W', w), bias ? c.param('B', [w[1] * (attrs.group ?? 1)]) : undefined, attrs));

const averagePool = (label: string, x: readonly number[], attrs: OpAttrs['AveragePool']): ForwardCase =>
  forwardCase(`AveragePool: ${label}`, (c, g) => g.averagePool(c.input('X', x), attrs));

const maxPool = (label: string, x: readonly number[], attrs: OpAttrs['MaxPool']): ForwardCase => forwardCase(`MaxPool: ${label}`, (c, g) => g.maxPool(c.input('X', x), attrs));

export function convPoolCases(): ForwardCase[] {
  return [
    conv('3×3, no padding', [2, 3, 6, 6], [4, 3, 3, 3], false, {}),
    conv('3×3, pads 1, bias', [2, 3, 5, 5], [4, 3, 3, 3], true, { pads: [1, 1, 1, 1] }),
    conv('stride 2, pads 1', [1, 2, 7, 7], [3, 2, 3, 3], true, { strides: [2, 2], pads: [1, 1, 1, 1] }),
    conv('unequal strides and asymmetric pads', [1, 2, 7, 6], [3, 2, 3, 2], false, { strides: [2, 1], pads: [0, 1, 2, 0] }),
    conv('dilation 2', [1, 2, 7, 7], [2, 2, 3, 3], false, { dilations: [2, 2] }),
    conv('dilation and stride', [2, 1, 9, 8], [2, 1, 2, 3], true, { dilations: [2, 1], strides: [2, 2], pads: [1, 0, 1, 1] }),
    conv('group 2', [1, 4, 5, 5], [6, 2, 3, 3], true, { group: 2, pads: [1, 1, 1, 1] }),
    conv('depthwise (group = channels)', [2, 3, 5, 5], [3, 1, 3, 3], false, { group: 3 }),
    conv('1×1 kernel', [2, 5, 3, 3], [4, 5, 1, 1], true, {}),
    conv('rectangular kernel', [1, 1, 6, 6], [2, 1, 1, 4], false, {}),
    forwardCase('Conv: symbolic batch', (c, g) => g.conv(c.input('X', ['N', 2, 5, 5], 'normal', [3, 2, 5, 5]), c.param('W', [3, 2, 3, 3]), c.param('B', [3]), { pads: [1, 1, 1, 1] })),
    convTranspose('3×3, stride 1', [1, 2, 4, 4], [2, 3, 3, 3], false, {}),
    convTranspose('stride 2, pads 1, outputPadding 1, bias', [2, 3, 4, 4], [3, 2, 3, 3], true, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }),
    convTranspose('asymmetric pads, unequal strides', [1, 2, 3, 4], [2, 2, 3, 2], false, { strides: [2, 1], pads: [1, 0, 0, 1] }),
    convTranspose('dilation 2', [1, 2, 4, 3], [2, 1, 2, 3], true, { dilations: [2, 2] }),
    convTranspose('group 2', [1, 4, 3, 3], [4, 3, 2, 2], true, { group: 2, strides: [2, 2] }),
    averagePool('2×2 stride 2', [2, 3, 6, 6], { kernelShape: [2, 2], strides: [2, 2] }),
    averagePool('3×3 stride 1 pads 1, padding excluded', [1, 2, 5, 5], { kernelShape: [3, 3], pads: [1, 1, 1, 1] }),
    averagePool('3×3 stride 2 pads 1, padding included', [1, 2, 5, 5], { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true }),
    averagePool('asymmetric pads', [1, 1, 5, 4], { kernelShape: [2, 3], strides: [1, 2], pads: [1, 0, 0, 2] }),
    forwardCase('GlobalAveragePool', (c, g) => g.globalAveragePool(c.input('X', [2, 3, 4, 5]))),
    maxPool('2×2 stride 2', [2, 3, 6, 6], { kernelShape: [2, 2], strides: [2, 2] }),
    maxPool('3×3 stride 2 pads 1', [1, 2, 7, 7], { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    maxPool('overlapping, stride 1', [1, 2, 4, 5], { kernelShape: [2, 3] }),
    forwardCase('MaxPool: negative inputs with padding (padding never wins)', (c, g) =>
      g.maxPool(g.sub(g.abs(c.input('X', [1, 1, 4, 4])), g.scalar(5)), { kernelShape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
  ];
}
