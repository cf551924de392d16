/**
 * Gradient rules of Conv and ConvTranspose. The input gradient of a Conv is a ConvTranspose with the same
 * geometry (and vice versa); weight gradients are a Conv of the input with batch and channels swapped.
 */
import { GraphError } from '../../errors.js';
import type { Value } from '../../ir/builder.js';
import { formatShape } from '../../ir/shape.js';
import type { GradEmitter } from '../grad-emitter.js';
import { dy0, input, type RuleContext, type RuleTable } from './rule.js';
import { convGeometry, type ConvGeometry } from '../../ir/conv-geometry.js';


const SWAP01 = [1, 0, 2, 3] as const;

/**
 * dW[m, c, i, j] = Σ_{n,y,x} G[n, m, y, x] · Xpad[n, c, y·s + i·d, x·s + j·d] for one group: Conv of Xᵀ (channels
 * as batch) with kernel Gᵀ, dilation = forward stride and stride = forward dilation, cropped to kernel size
 * (rows past the last window the forward conv read come out extra), transposed back to [M, C, kh, kw].
 */
function weightGradientOneGroup(e: GradEmitter, x: Value, g: Value, kernel: readonly number[], geo: ConvGeometry): Value {
  const full = e.op('Conv', [e.transpose(x, SWAP01), e.transpose(g, SWAP01)], { strides: [...geo.dilations], pads: geo.pads, dilations: [...geo.strides] });
  const [, , h, w] = full.shape as number[];
  const cropped = h > kernel[0] || w > kernel[1] ? e.slice(full, { starts: [0, 0], ends: [kernel[0], kernel[1]], axes: [2, 3] }) : full;
  return e.transpose(cropped, SWAP01);
}

/** Weight gradient [M, C/group, kh, kw] of a Conv with input `x` [N, C, H, W] and output gradient `g` [N, M, OH, OW]. */
export function convWeightGradient(e: GradEmitter, x: Value, g: Value, kernel: readonly number[], geo: ConvGeometry, where: string): Value {
  if (geo.group === 1) return weightGradientOneGroup(e, x, g, kernel, geo);
  const [c, m] = [x.shape[1], g.shape[1]];
  if (typeof c !== 'number' || typeof m !== 'number') throw new GraphError(`${where}: grouped weight gradient needs static channels, got ${formatShape(x.shape)}`);
  // One Conv per group, joined along the output-channel axis.
  const cg = c / geo.group;
  const mg = m / geo.group;
  const parts: Value[] = [];
  for (let k = 0; k < geo.group; k++) {
    const xk = e.slice(x, { starts: [k * cg], ends: [(k + 1) * cg], axes: [1] });
    const gk = e.slice(g, { starts: [k * mg], ends: [(k + 1) * mg], axes: [1] });
    parts.push(weightGradientOneGroup(e, xk, gk, kernel, { ...geo, group: 1 }));
  }
  return e.op('Concat', parts, { axis: 0 });
}

/** outputPadding that makes a ConvTranspose of an [.., OH, OW] gradient come back to [.., H, W]. */
function outputPadding(inputHw: readonly number[], outputHw: readonly number[], kernel: readonly number[], geo: ConvGeometry): number[] {
  return [0, 1].map((a) => inputHw[a] - ((outputHw[a] - 1) * geo.strides[a] - geo.pads[a] - geo.pads[a + 2] + geo.dilations[a] * (kernel[a] - 1) + 1));
}

const hw = (v: Value): number[] => [v.shape[2] as number, v.shape[3] as number];

function biasGradient(c: RuleContext<'Conv' | 'ConvTranspose'>): Value | undefined {
  return c.needs[2] && c.inputs[2] ? c.e.reduceSum(dy0(c), [0, 2, 3], false) : undefined;
}

export const convolutionRules: RuleTable = {
  Conv: (c) => {
    const [x, w] = [input(c, 0), input(c, 1)];
    const g = dy0(c);
    const geo = convGeometry(c.node.attrs);
    const kernel = [w.shape[2] as number, w.shape[3] as number];
    const dx = c.needs[0]
      ? c.e.op('ConvTranspose', [g, w], { strides: [...geo.strides], pads: geo.pads, dilations: [...geo.dilations], group: geo.group, outputPadding: outputPadding(hw(x), hw(g), kernel, geo) })
      : undefined;
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
