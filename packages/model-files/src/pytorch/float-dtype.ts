/**
 * The floating-point element types both state-dict formats store (safetensors names them F64/F32/F16/BF16,
 * PyTorch storages Double/Float/Half/BFloat16), and their decoding to JavaScript arrays.
 */

/** A floating-point element type whose tensors are read as matrices. */
export type FloatDtype = 'F64' | 'F32' | 'F16' | 'BF16';

/** Bytes per element. */
export const FLOAT_ITEM_SIZE: Readonly<Record<FloatDtype, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

/**
 * Decodes `count` elements of `dtype` from `bytes` (which must start at an 8-byte aligned offset of its
 * buffer and hold at least count·itemsize bytes): float64 stays Float64Array, the others become Float32Array
 * (half and bfloat16 convert exactly). Float32 and float64 are returned as views of `bytes`, without copying.
 * Big-endian input is byte-swapped in place first.
 */
export function decodeFloats(bytes: Uint8Array, dtype: FloatDtype, count: number, littleEndian: boolean): Float32Array | Float64Array {
  const size = FLOAT_ITEM_SIZE[dtype];
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice(0, count * size);
  if (!littleEndian && size > 1) swapBytes(bytes.subarray(0, count * size), size);
  if (dtype === 'F64') return new Float64Array(bytes.buffer, bytes.byteOffset, count);
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Float32Array(count);
  if (dtype === 'BF16') {
    // bfloat16 is the upper half of a float32.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
  } else {
    const table = halfTable();
    for (let i = 0; i < count; i++) out[i] = table[halves[i]];
  }
  return out;
}

/** Reverses the bytes of every `size`-byte element. */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

let table: Float32Array | null = null;

/** Every IEEE half-precision value by its 16 bits (256 KB, built once): decoding is then one lookup. */
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    table[h] =
      exponent === 0 ? sign * 2 ** -14 * (fraction / 1024) : exponent === 31 ? (fraction ? NaN : sign * Infinity) : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return table;
}
