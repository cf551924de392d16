/**
 * Dequantization as ONNX Runtime computes it, y = (x − zero_point)·scale, with the scale and zero point given per
 * tensor, per axis, per block along one axis (DequantizeLinear block_size) or broadcast numpy-style (the per-row
 * and per-column scales of QLinearMatMul and MatMulInteger).
 */
import { sizeOf, stridesOf } from './array-layout.js';

/** How the scale (and zero point) lines up with x. */
export type QuantLayout =
  | { readonly kind: 'tensor' }
  | { readonly kind: 'axis'; readonly axis: number; readonly blockSize: number }
  | { readonly kind: 'broadcast' };

/** Thrown when scale and x do not line up; callers name the file and node. */
export class QuantLayoutError extends Error {}

/**
 * (x − zero)·scale for every element of x (`zero` absent means 0, `scale` absent means 1).
 * @throws QuantLayoutError when the scale or zero point's shape does not fit x under `layout`.
 */
export function dequantize(
  x: Float64Array,
  shape: readonly number[],
  scale: { values: Float64Array; shape: readonly number[] } | undefined,
  zero: { values: Float64Array; shape: readonly number[] } | undefined,
  layout: QuantLayout,
): Float64Array {
  const reference = scale ?? zero;
  if (!reference) return Float64Array.from(x);
  const out = new Float64Array(x.length);
  if (scale && zero && zero.values.length !== scale.values.length) throw new QuantLayoutError(`zero point has ${zero.values.length} values, scale ${scale.values.length}`);
  const aligned = alignedShape(shape, reference.shape, reference.values.length, layout);
  const map = axisMaps(shape, aligned, layout.kind === 'axis' ? layout.blockSize : 0);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = 0;
  for (let k = 0; k < rank; k++) at += map[k][0] ?? 0;
  for (let n = 0; n < x.length; n++) {
    const s = scale ? scale.values[at] : 1;
    const z = zero ? zero.values[at] : 0;
    out[n] = (x[n] - z) * s;
    for (let k = rank - 1; k >= 0; k--) {
      at -= map[k][index[k]];
      index[k]++;
      if (index[k] < shape[k]) {
        at += map[k][index[k]];
        break;
      }
      index[k] = 0;
      at += map[k][0];
    }
  }
  return out;
}

/** The scale's shape as a shape of x's rank (1 where it broadcasts). */
function alignedShape(shape: readonly number[], scaleShape: readonly number[], count: number, layout: QuantLayout): number[] {
  const rank = shape.length;
  if (count === 1) return new Array<number>(rank).fill(1);
  if (layout.kind === 'tensor') throw new QuantLayoutError(`a per-tensor scale has ${count} values`);
  if (layout.kind === 'axis') {
    const axis = layout.axis < 0 ? layout.axis + rank : layout.axis;
    if (axis < 0 || axis >= rank) throw new QuantLayoutError(`axis ${layout.axis} is outside a rank-${rank} tensor`);
    if (layout.blockSize > 0) {
      if (scaleShape.length !== rank) throw new QuantLayoutError(`a blocked scale must have the rank of x (${rank}), has shape [${scaleShape}]`);
      return [...scaleShape];
    }
    if (scaleShape.length !== 1 || scaleShape[0] !== shape[axis]) throw new QuantLayoutError(`a per-axis scale along axis ${axis} must have shape [${shape[axis]}], has [${scaleShape}]`);
    return shape.map((_, k) => (k === axis ? shape[axis] : 1));
  }
  if (scaleShape.length > rank) throw new QuantLayoutError(`scale of shape [${scaleShape}] does not broadcast to [${shape}]`);
  return [...new Array<number>(rank - scaleShape.length).fill(1), ...scaleShape];
}

/** For each axis k, map[k][i] = offset into the scale of index i along k. */
function axisMaps(shape: readonly number[], aligned: readonly number[], blockSize: number): number[][] {
  const strides = stridesOf(aligned);
  if (sizeOf(aligned) === 0) throw new QuantLayoutError('empty scale');
  return shape.map((d, k) => {
    const s = aligned[k];
    const row = new Array<number>(Math.max(d, 1));
    for (let i = 0; i < d; i++) {
      let j: number;
      if (s === 1) j = 0;
      else if (blockSize > 0 && s === Math.ceil(d / blockSize)) j = Math.floor(i / blockSize);
      else if (s === d) j = i;
      else throw new QuantLayoutError(`scale dim ${s} on axis ${k} fits neither ${d} nor blocks of ${blockSize || '(none)'}`);
      row[i] = j * strides[k];
    }
    if (d === 0) row[0] = 0;
    return row;
  });
}
