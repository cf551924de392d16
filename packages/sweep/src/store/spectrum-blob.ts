/** Singular values as a BLOB: float64 little-endian, so they round-trip bit for bit on every machine. */

/** Encodes values as float64 little-endian bytes. */
export function encodeSpectrum(values: ArrayLike<number>): Buffer {
  const buffer = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) buffer.writeDoubleLE(values[i], i * 8);
  return buffer;
}

/**
 * Decodes bytes written by {@link encodeSpectrum}.
 * @throws RangeError when the byte length is not a multiple of 8.
 */
export function decodeSpectrum(bytes: Uint8Array): Float64Array {
  if (bytes.byteLength % 8 !== 0) throw new RangeError(`decodeSpectrum: ${bytes.byteLength} bytes is not a whole number of float64 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
