/**
 * Gradient rules of Conv and ConvTranspose. The input gradient of a Conv is a ConvTranspose with the same
 * geometry (for stride 1, the equal Conv with the flipped kernel), that of a ConvTranspose the Conv with the same
 * geometry; weight gradients unfold the input and multiply it with the output gradient.
 */
import { GraphError } from '../../errors.js';
import type { Value } from '../../ir/builder.js';
import { formatShape } from '../../ir/shape.js';
import type { GradEmitter } from '../grad-emitter.js';
import { dy0, input, type RuleContext, type RuleTable } from './rule.js';
import { convGeometry, type ConvGeometry } from '../../ir/conv-geometry.js';

/**
 * dW[m, c, i, j] = Σ_{n,y,x} G[n, m, y, x] · Xpad[n, c, y·s + i·d, x·s + j·d] for one group, by unfolding:
 * for each kernel offset (i, j) the strided slice S_ij = Xpad[:, :, i·d :: s, j·d :: s] ([N, C, OH, OW]) is
 * multiplied by G per sample (batched MatMul [N, C, OH·OW] × [N, OH·OW, M]), and the products are summed over
 * the batch. onnxruntime runs it faster than one Conv of Xᵀ with kernel Gᵀ (an OH×OW kernel producing a kh×kw
 * image: matrix products with 9 columns; docs/performance.md).
 */
function weightGradientOneGroup(e: GradEmitter, x: Value, g: Value, kernel: readonly number[], geo: ConvGeometry, where: string): Value {
  const [n, c, h, w] = x.shape;
  const [, m, oh, ow] = g.shape;
  if ([c, h, w, m, oh, ow].some((d) => typeof d !== 'number')) {
    throw new GraphError(`${where}: the weight gradient needs static channels and image sizes, got input ${formatShape(x.shape)} and output gradient ${formatShape(g.shape)}`);
  }
  const [C, M, OH, OW] = [c, m, oh, ow] as number[];
  const [top, left, bottom, right] = geo.pads;
  const padded = e.pad(x, [0, 0, top, left, 0, 0, bottom, right]);
  const gt = e.transpose(e.reshape(g, [n, M, OH * OW]), [0, 2, 1]);
  const parts: Value[] = [];
  for (let i = 0; i < kernel[0]; i++) {
    for (let j = 0; j < kernel[1]; j++) {
      const [y0, x0] = [i * geo.dilations[0], j * geo.dilations[1]];
      const window = e.slice(padded, { starts: [y0, x0], ends: [y0 + (OH - 1) * geo.strides[0] + 1, x0 + (OW - 1) * geo.strides[1] + 1], axes: [2, 3], steps: [...geo.strides] });
      parts.push(e.unsqueeze(e.op('MatMul', [e.reshape(window, [n, C, OH * OW]), gt], {}), [2]));
    }
  }
  const perSample = e.reshape(parts.length === 1 ? parts[0] : e.op('Concat', parts, { axis: 2 }), [n, C * parts.length * M]);
  const summed = e.reshape(e.reduceSum(perSample, [0], false), [C * parts.length, M]);
  return e.reshape(e.transpose(summed, [1, 0]), [M, C, kernel[0], kernel[1]]);
}

/** Weight gradient [M, C/group, kh, kw] of a Conv with input `x` [N, C, H, W] and output gradient `g` [N, M, OH, OW]. */
export function convWeightGradient(e: GradEmitter, x: Value, g: Value, kernel: readonly number[], geo: ConvGeometry, where: string): Value {
  if (geo.group === 1) return weightGradientOneGroup(e, x, g, kernel, geo, where);
  const [c, m] = [x.shape[1], g.shape[1]];
  if (typeof c !== 'number' || typeof m !== 'number') throw new GraphError(`${where}: grouped weight gradient needs static channels, got ${formatShape(x.shape)}`);
  // One Conv per group, joined along the output-channel axis.
  const cg = c / geo.group;
  const mg = m / geo.group;
  const parts: Value[] = [];
  for (let k = 0; k < geo.group; k++) {
    const xk = e.slice(x, { starts: [k * cg], ends: [(k + 1) * cg], axes: [1] });
    const gk = e.slice(g, { starts: [k * mg], ends: [(k + 1) * mg], axes: [1] });
    parts.push(weightGradientOneGroup(e, xk, gk, kernel, { ...geo, group: 1 }, where));
  }
  return e.op('Concat', parts, { axis: 0 });
}

/** outputPadding that makes a ConvTranspose of an [.., OH, OW] gradient come back to [.., H, W]. */
function outputPadding(inputHw: readonly number[], outputHw: readonly number[], kernel: readonly number[], geo: ConvGeometry): number[] {
  return [0, 1].map((a) => inputHw[a] - ((outputHw[a] - 1) * geo.strides[a] - geo.pads[a] - geo.pads[a + 2] + geo.dilations[a] * (kernel[a] - 1) + 1));
}

const hw = (v: Value): number[] => [v.shape[2] as number, v.shape[3] as number];

/**
 * Input gradient of a Conv: the ConvTranspose with the same geometry. For stride 1 and one group it is also a
 * Conv of the gradient with the spatially flipped, channel-transposed kernel and complementary padding
 * d·(k−1) − p, which onnxruntime runs faster than its ConvTranspose (docs/performance.md).
 */
function convInputGradient(e: GradEmitter, g: Value, w: Value, inputHw: readonly number[], kernel: readonly number[], geo: ConvGeometry): Value {
  const pads = [0, 1, 0, 1].map((a, k) => geo.dilations[a] * (kernel[a] - 1) - geo.pads[k]);
  if (geo.group === 1 && geo.strides.every((s) => s === 1) && pads.every((p) => p >= 0)) {
    const flipped = e.slice(e.transpose(w, [1, 0, 2, 3]), { starts: [-1, -1], ends: [-(kernel[0] + 1), -(kernel[1] + 1)], axes: [2, 3], steps: [-1, -1] });
    return e.op('Conv', [g, flipped], { pads: [pads[0], pads[1], pads[2], pads[3]], dilations: [...geo.dilations] });
  }
  return e.op('ConvTranspose', [g, w], { strides: [...geo.strides], pads: geo.pads, dilations: [...geo.dilations], group: geo.group, outputPadding: outputPadding(inputHw, hw(g), kernel, geo) });
}

function biasGradient(c: RuleContext<'Conv' | 'ConvTranspose'>): Value | undefined {
  return c.needs[2] && c.inputs[2] ? c.e.reduceSum(dy0(c), [0, 2, 3], false) : undefined;
}

export const convolutionRules: RuleTable = {
  Conv: (c) => {
    const [x, w] = [input(c, 0), input(c, 1)];
    const g = dy0(c);
    const geo = convGeometry(c.node.attrs);
    const kernel = [w.shape[2] as number, w.shape[3] as number];
    const dx = c.needs[0] ? convInputGradient(c.e, g, w, hw(x), kernel, geo) : undefined;
    const dw = c.needs[1] ? convWeightGradient(c.e, x, g, kernel, geo, c.where) : undefined;
    return [dx, dw, biasGradient(c)];
  },
  ConvTranspose: (c) => {
    const [x, w] = [input(c, 0), input(c, 1)];
    const g = dy0(c);
    const geo = convGeometry(c.node.attrs);
    const kernel = [w.shape[2] as number, w.shape[3] as number];
    // The adjoint of a ConvTranspose is the Conv with the same geometry and weights.
    const dx = c.needs[0] ? c.e.op('Conv', [g, w], { strides: [...geo.strides], pads: geo.pads, dilations: [...geo.dilations], group: geo.group }) : undefined;
    // dW[c, m, i, j] = Σ X[n, c, h, w]·dY[n, m, h·s − p + i·d, ..]: a Conv weight gradient with the roles of input and output swapped.
    const dw = c.needs[1] ? convWeightGradient(c.e, g, x, kernel, geo, c.where) : undefined;
    return [dx, dw, biasGradient(c)];
  },
};
