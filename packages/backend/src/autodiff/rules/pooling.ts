/** Gradient rules of AveragePool, GlobalAveragePool and MaxPool (non-overlapping windows only). */
import { GraphError } from '../../errors.js';
import type { Value } from '../../ir/builder.js';
import { formatShape } from '../../ir/shape.js';
import type { GradEmitter } from '../grad-emitter.js';
import { dy0, input, type RuleTable } from './rule.js';

/** Slices or zero-pads the last two axes of `v` to h × w (the rows and columns past whole windows). */
function fitSpatial(e: GradEmitter, v: Value, h: number, w: number): Value {
  const [vh, vw] = [v.shape[2] as number, v.shape[3] as number];
  let out = v;
  if (vh > h || vw > w) out = e.slice(out, { starts: [0, 0], ends: [Math.min(vh, h), Math.min(vw, w)], axes: [2, 3] });
  return e.pad(out, [0, 0, 0, 0, 0, 0, Math.max(0, h - vh), Math.max(0, w - vw)]);
}

/**
 * [N, C, OH, OW] → [N, C, OH·sh, OW·sw]: every value repeated over its sh × sw block. Columns repeat through a
 * product with a 0/1 matrix (exact for finite values), rows through an Expand of whole rows: onnxruntime's Expand
 * repeating along the innermost axis copies element by element, several times slower (docs/performance.md).
 */
function upsample(e: GradEmitter, v: Value, sh: number, sw: number): Value {
  const [oh, ow] = [v.shape[2] as number, v.shape[3] as number];
  let wide = v;
  if (sw > 1) {
    const repeat = new Float32Array(ow * ow * sw);
    for (let j = 0; j < ow; j++) for (let t = 0; t < sw; t++) repeat[j * ow * sw + j * sw + t] = 1;
    wide = e.op('MatMul', [v, e.constant([ow, ow * sw], repeat)], {});
  }
  if (sh === 1) return wide;
  const rows = e.op('Expand', [e.unsqueeze(wide, [3])], { shape: [1, 1, 1, sh, 1] });
  return e.op('Reshape', [rows], { shape: [0, 0, oh * sh, ow * sw] });
}

export const poolingRules: RuleTable = {
  AveragePool: (c) => {
    const x = input(c, 0);
    const { kernelShape: k, strides = [1, 1], pads = [0, 0, 0, 0], countIncludePad = false } = c.node.attrs;
    if (!countIncludePad && pads.some((p) => p !== 0)) {
      throw new GraphError(`${c.where}: gradient of AveragePool with padding excluded from the divisor (countIncludePad false, pads [${pads}]) is not supported: the divisor varies per window`);
    }
    const channels = x.shape[1];
    if (typeof channels !== 'number') throw new GraphError(`${c.where}: AveragePool gradient needs a static channel count, got ${formatShape(x.shape)}`);
    // Each output spreads dY/(kh·kw) over its window: a depthwise ConvTranspose with a constant kernel.
    const kernel = c.e.constant([channels, 1, k[0], k[1]], new Float32Array(channels * k[0] * k[1]).fill(1 / (k[0] * k[1])));
    const g = dy0(c);
    const [h, w] = [x.shape[2] as number, x.shape[3] as number];
    const outputPadding = [0, 1].map((a) => [h, w][a] - ((g.shape[2 + a] as number) - 1) * strides[a] + pads[a] + pads[a + 2] - k[a]);
    return [c.e.op('ConvTranspose', [g, kernel], { strides: [...strides], pads, group: channels, outputPadding })];
  },
  GlobalAveragePool: (c) => {
    const x = input(c, 0);
    const [h, w] = [x.shape[2] as number, x.shape[3] as number];
    return [c.e.scale(c.e.expandTo(dy0(c), x.shape), 1 / (h * w))];
  },
  MaxPool: (c) => {
    const x = input(c, 0);
    const { kernelShape: k, strides = [1, 1], pads = [0, 0, 0, 0] } = c.node.attrs;
    if (strides[0] < k[0] || strides[1] < k[1]) {
      throw new GraphError(`${c.where}: MaxPool gradient needs non-overlapping windows (stride ≥ kernel), got kernel [${k}] and strides [${strides}]: overlapping windows would route one input to several outputs, which this mask-based gradient cannot express`);
    }
    if (pads.some((p) => p !== 0)) throw new GraphError(`${c.where}: MaxPool gradient does not support padding, got pads [${pads}]`);
    const [h, w] = [x.shape[2] as number, x.shape[3] as number];
    const [sh, sw] = strides;
    const y = upsample(c.e, c.outputs[0], sh, sw);
    const g = upsample(c.e, dy0(c), sh, sw);
    const [bh, bw] = [y.shape[2] as number, y.shape[3] as number];
    // Every input equal to its window's max gets the window's gradient (ties share it, as in ReduceMax).
    let routed = c.e.mask(c.e.op('Equal', [fitSpatial(c.e, x, bh, bw), y], {}), g);
    if (sh > k[0] || sw > k[1]) {
      // Stride > kernel leaves gaps between windows: positions outside every window get nothing.
      const inside = new Uint8Array(bh * bw);
      for (let i = 0; i < bh; i++) for (let j = 0; j < bw; j++) inside[i * bw + j] = i % sh < k[0] && j % sw < k[1] ? 1 : 0;
      const mask = c.e.op('Constant', [], { value: { dtype: 'bool', shape: [bh, bw], data: inside } });
      routed = c.e.mask(mask, routed);
    }
    return [fitSpatial(c.e, routed, h, w)];
  },
};
