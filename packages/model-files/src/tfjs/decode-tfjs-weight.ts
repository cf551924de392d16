/** Turns the stored bytes of one manifest weight into its values (dequantized where the manifest says so). */
import type { TfjsWeightSpec } from './tfjs-manifest.js';

/** Values of one weight: float32 for float32/float16 weights (quantized or not), int32, bool as 0/1 bytes, strings as bytes. */
export type TfjsValues = Float32Array | Int32Array | Uint8Array | readonly Uint8Array[];

/**
 * Decodes `bytes` (exactly the weight's stored bytes, little-endian as TF.js writes them) as `spec` says:
 * uint8/uint16 quantization is affine, value = q·scale + min (rounded for int32 weights), as tfjs-core's
 * decodeWeights computes it; float16 (as a dtype or a quantization) is widened to float32 exactly.
 */
export function decodeTfjsWeight(spec: TfjsWeightSpec, bytes: Uint8Array): TfjsValues {
  // A fresh buffer: the slice of a shard need not be aligned for a typed-array view.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const q = spec.quantization;
  if (q?.dtype === 'uint8' || q?.dtype === 'uint16') {
    const raw = q.dtype === 'uint8' ? new Uint8Array(buffer) : new Uint16Array(buffer);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    if (spec.dtype === 'int32') return Int32Array.from(raw, (v) => Math.round(v * scale + min));
    return Float32Array.from(raw, (v) => v * scale + min);
  }
  if (q?.dtype === 'float16' || spec.dtype === 'float16') return float16ToFloat32(new Uint16Array(buffer));
  if (spec.dtype === 'float32') return new Float32Array(buffer);
  if (spec.dtype === 'int32') return new Int32Array(buffer);
  if (spec.dtype === 'bool') return new Uint8Array(buffer);
  return splitStrings(new Uint8Array(buffer));
}

/** IEEE 754 half precision to single precision: every half (subnormals, ±∞, NaN included) is exact in float32. */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 31) out[i] = fraction === 0 ? sign * Infinity : NaN;
    else out[i] = sign * (1024 + fraction) * 2 ** (exponent - 25);
  }
  return out;
}

/** TF.js string weights: each value a uint32 length, then that many bytes (lengths are checked by the reader). */
function splitStrings(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; ) {
    const length = view.getUint32(offset, true);
    out.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}
