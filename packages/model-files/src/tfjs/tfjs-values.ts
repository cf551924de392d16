/** Float views of decoded weight values, and how a quantized weight was stored, for a matrix's note. */
import type { TfjsValues } from './decode-tfjs-weight.js';
import type { TfjsWeightSpec } from './tfjs-manifest.js';

/** The values of a float weight as float32 (callers pass only float32/float16 weights, which decode to Float32Array). */
export function valuesAsFloat32(values: TfjsValues): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values instanceof Int32Array || values instanceof Uint8Array) return Float32Array.from(values);
  throw new TypeError('valuesAsFloat32: a string weight has no float values');
}

/** `dequantized from uint8 (scale s, min m)`, `stored as float16`, or null for a plain float32 weight. */
export function quantizationNote(spec: TfjsWeightSpec): string | null {
  const q = spec.quantization;
  if (q?.dtype === 'uint8' || q?.dtype === 'uint16') return `dequantized from ${q.dtype} (value = q·${q.scale} + ${q.min})`;
  if (q?.dtype === 'float16' || spec.dtype === 'float16') return 'stored as float16';
  return null;
}
