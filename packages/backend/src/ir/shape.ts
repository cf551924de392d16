/** Shape arithmetic shared by inference, autodiff and backends. */
import { GraphError } from '../errors.js';
import type { Dim, Shape } from './types.js';

export const isStatic = (shape: Shape): shape is readonly number[] => shape.every((d) => typeof d === 'number');

/** Product of the dimensions; throws if any is symbolic. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') throw new GraphError(`size of shape ${formatShape(shape)} is not static`);
    n *= d;
  }
  return n;
}

export const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;

/** Normalizes a possibly negative axis for a tensor of the given rank; throws naming the op. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new GraphError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** Numpy-style broadcast of two shapes; a symbolic dim matches itself, 1, or a number it must equal at run time. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else if (typeof da === 'string') out.push(db);
    else if (typeof db === 'string') out.push(da);
    else throw new GraphError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
  }
  return out;
}

/** Axes of `full` along which `part` was broadcast (for reducing a gradient back to `part`'s shape). */
export function broadcastAxes(full: Shape, part: Shape): number[] {
  const axes: number[] = [];
  const offset = full.length - part.length;
  for (let i = 0; i < full.length; i++) {
    if (i < offset) axes.push(i);
    else if (part[i - offset] === 1 && full[i] !== 1) axes.push(i);
  }
  return axes;
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Resolves a Reshape target (ONNX semantics: 0 copies the input dim at that index, -1 is inferred).
 * With a symbolic input dim, -1 resolves to that symbol when the static parts match.
 */
export function resolveReshape(input: Shape, target: readonly number[], op = 'Reshape'): Dim[] {
  const out: Dim[] = target.map((d, i) => {
    if (d === 0) {
      if (i >= input.length) throw new GraphError(`${op}: target ${formatShape(target)} copies dim ${i} of ${formatShape(input)}, which has no such dim`);
      return input[i];
    }
    return d;
  });
  const minus = out.flatMap((d, i) => (d === -1 ? [i] : []));
  if (minus.length > 1) throw new GraphError(`${op}: target ${formatShape(target)} has more than one -1`);
  if (out.some((d) => typeof d === 'number' && (d < -1 || !Number.isInteger(d)))) {
    throw new GraphError(`${op}: target ${formatShape(target)} has an invalid dimension`);
  }
  const symbolsIn = input.filter((d): d is string => typeof d === 'string');
  const symbolsOut = out.filter((d): d is string => typeof d === 'string');
  const staticIn = input.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  const staticOut = out.reduce<number>((p, d) => (typeof d === 'number' && d !== -1 ? p * d : p), 1);
  if (minus.length === 1) {
    const unmatched = symbolsIn.filter((s) => !symbolsOut.includes(s));
    if (unmatched.length === 0) {
      if (staticOut === 0 || staticIn % staticOut !== 0) {
        throw new GraphError(`${op}: cannot reshape ${formatShape(input)} to ${formatShape(target)}`);
      }
      out[minus[0]] = staticIn / staticOut;
    } else if (unmatched.length === 1 && staticIn === staticOut) {
      out[minus[0]] = unmatched[0];
    } else {
      throw new GraphError(`${op}: cannot infer -1 in ${formatShape(target)} from ${formatShape(input)}`);
    }
  } else if (symbolsIn.length === 0 && symbolsOut.length === 0 && staticIn !== staticOut) {
    throw new GraphError(`${op}: cannot reshape ${formatShape(input)} (${staticIn} elements) to ${formatShape(target)} (${staticOut})`);
  }
  return out;
}

/** Output size of a strided, padded, dilated window along one axis. */
export function windowOutputSize(input: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.floor((input + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1;
}
