/** 2-D convolution (cross-correlation) and its transpose, NCHW, as direct loops over the definition. */
import { RunError } from '../../../errors.js';
import { formatShape, windowOutputSize } from '../../../ir/shape.js';
import { asFloat, floatTensor, type FloatTensor, type ReferenceTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';
import { convGeometry, type ConvGeometry } from '../../../ir/conv-geometry.js';


function bias(b: ReferenceTensor | undefined, channels: number, where: string): Float64Array | undefined {
  if (!b) return undefined;
  const t = asFloat(b, where, 'bias B');
  if (t.shape.length !== 1 || t.shape[0] !== channels) throw new RunError(`${where}: bias ${formatShape(t.shape)} must be [${channels}]`);
  return t.data;
}

function rank4(t: FloatTensor, where: string, what: string): [number, number, number, number] {
  if (t.shape.length !== 4) throw new RunError(`${where}: ${what} must have rank 4, got ${formatShape(t.shape)}`);
  return t.shape as [number, number, number, number];
}

/** Y[n, m, oh, ow] = B[m] + Σ_{c, i, j} X[n, g·C/group + c, oh·s − p + i·d, ow·s − p + j·d] · W[m, c, i, j] (g = group of m). */
function conv(x: FloatTensor, w: FloatTensor, b: Float64Array | undefined, geo: ConvGeometry, where: string): FloatTensor {
  const [n, c, h, wd] = rank4(x, where, 'input X');
  const [m, cg, kh, kw] = rank4(w, where, 'weight W');
  const { strides: s, pads: p, dilations: d, group } = geo;
  if (cg * group !== c || m % group !== 0) throw new RunError(`${where}: X ${formatShape(x.shape)} and W ${formatShape(w.shape)} do not fit group ${group}`);
  const oh = windowOutputSize(h, kh, s[0], p[0], p[2], d[0]);
  const ow = windowOutputSize(wd, kw, s[1], p[1], p[3], d[1]);
  const mg = m / group;
  const out = floatTensor([n, m, oh, ow]);
  const X = x.data;
  const W = w.data;
  const Y = out.data;
  for (let b0 = 0; b0 < n; b0++) {
    for (let oc = 0; oc < m; oc++) {
      const g = Math.floor(oc / mg);
      for (let y = 0; y < oh; y++) {
        for (let z = 0; z < ow; z++) {
          let sum = b ? b[oc] : 0;
          for (let ic = 0; ic < cg; ic++) {
            const xBase = (b0 * c + g * cg + ic) * h * wd;
            const wBase = (oc * cg + ic) * kh * kw;
            for (let i = 0; i < kh; i++) {
              const row = y * s[0] - p[0] + i * d[0];
              if (row < 0 || row >= h) continue;
              for (let j = 0; j < kw; j++) {
                const col = z * s[1] - p[1] + j * d[1];
                if (col < 0 || col >= wd) continue;
                sum += X[xBase + row * wd + col] * W[wBase + i * kw + j];
              }
            }
          }
          Y[((b0 * m + oc) * oh + y) * ow + z] = sum;
        }
      }
    }
  }
  return out;
}

/**
 * The adjoint of Conv: every input pixel X[n, c, y, z] adds X·W[c, m, i, j] to Y[n, g·M/group + m, y·s − p + i·d,
 * z·s − p + j·d]; out = (H−1)·s − pb − pe + d·(k−1) + outputPadding + 1.
 */
function convTranspose(x: FloatTensor, w: FloatTensor, b: ReferenceTensor | undefined, geo: ConvGeometry, outputPadding: readonly number[], where: string): FloatTensor {
  const [n, c, h, wd] = rank4(x, where, 'input X');
  const [cw, mg, kh, kw] = rank4(w, where, 'weight W');
  const { strides: s, pads: p, dilations: d, group } = geo;
  if (cw !== c || c % group !== 0) throw new RunError(`${where}: X ${formatShape(x.shape)} and W ${formatShape(w.shape)} do not fit group ${group}`);
  const m = mg * group;
  const cg = c / group;
  const oh = (h - 1) * s[0] - p[0] - p[2] + d[0] * (kh - 1) + outputPadding[0] + 1;
  const ow = (wd - 1) * s[1] - p[1] - p[3] + d[1] * (kw - 1) + outputPadding[1] + 1;
  if (oh <= 0 || ow <= 0) throw new RunError(`${where}: output size ${oh}×${ow} is not positive`);
  const bb = bias(b, m, where);
  const out = floatTensor([n, m, oh, ow]);
  const X = x.data;
  const W = w.data;
  const Y = out.data;
  for (let b0 = 0; b0 < n; b0++) {
    for (let ic = 0; ic < c; ic++) {
      const g = Math.floor(ic / cg);
      for (let y = 0; y < h; y++) {
        for (let z = 0; z < wd; z++) {
          const v = X[((b0 * c + ic) * h + y) * wd + z];
          for (let om = 0; om < mg; om++) {
            const oc = g * mg + om;
            const wBase = (ic * mg + om) * kh * kw;
            const yBase = (b0 * m + oc) * oh * ow;
            for (let i = 0; i < kh; i++) {
              const row = y * s[0] - p[0] + i * d[0];
              if (row < 0 || row >= oh) continue;
              for (let j = 0; j < kw; j++) {
                const col = z * s[1] - p[1] + j * d[1];
                if (col < 0 || col >= ow) continue;
                Y[yBase + row * ow + col] += v * W[wBase + i * kw + j];
              }
            }
          }
        }
      }
    }
  }
  if (bb) {
    const plane = oh * ow;
    for (let i = 0; i < Y.length; i++) Y[i] += bb[Math.floor(i / plane) % m];
  }
  return out;
}

export const CONV_KERNELS: KernelTable<'Conv' | 'ConvTranspose'> = {
  Conv: ([x, w, b], attrs, { where }) => {
    const weight = asFloat(w, where, 'weight W');
    return [conv(asFloat(x, where, 'input X'), weight, bias(b, weight.shape[0], where), convGeometry(attrs), where)];
  },
  ConvTranspose: ([x, w, b], attrs, { where }) => [
    convTranspose(asFloat(x, where, 'input X'), asFloat(w, where, 'weight W'), b, convGeometry(attrs), attrs.outputPadding ?? [0, 0], where),
  ],
};
