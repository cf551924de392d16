import { checkIdxExpectation } from './check-idx-expectation.js';
import { DatasetError } from './dataset-error.js';

/** Element types of the IDX format, named after their codes (0x08 … 0x0E). */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array holding IDX elements in host byte order. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: element type, dimensions (outermost first) and `prod(dims)` elements in row-major order. */
export interface IdxArray {
  dtype: IdxDtype;
  dims: number[];
  data: IdxData;
}

/** Constraints checked while parsing; a mismatch is an `invalid-format` {@link DatasetError}. */
export interface IdxExpectation {
  /** Required element type. */
  dtype?: IdxDtype;
  /** Required dimensions; the rank must match and `null` accepts any size in that position. */
  dims?: (number | null)[];
}

const DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`;

/**
 * Parses an uncompressed IDX file (magic `00 00 <dtype> <rank>`, `rank` big-endian uint32 dimensions, then
 * big-endian elements). The length must be exactly header + prod(dims) × element size: a truncated file or one
 * with trailing bytes is rejected. For uint8 data the result is a view of `bytes` (no copy).
 * @param file name used in error messages.
 * @throws DatasetError (`invalid-format`) naming `file` and the expected vs found value.
 */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation = {}): IdxArray {
  const fail = (problem: string, expected: string, found: string): never => {
    throw new DatasetError('invalid-format', problem, { file, expected, found });
  };
  if (bytes.length < 4) fail('IDX header', 'at least 4 bytes', `${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail('IDX magic number', '0x0000 in the first two bytes', hex((bytes[0] << 8) | bytes[1], 4));
  }
  const type = DTYPES[bytes[2]];
  if (type === undefined) fail('IDX dtype code', 'one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e', hex(bytes[2], 2));
  const rank = bytes[3];
  if (rank === 0) fail('IDX rank', 'at least 1 dimension', '0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail('IDX header length', `${headerBytes} bytes for ${rank} dimensions`, `${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));

  // Shape expectations first: "wrong file" is a clearer message than the length mismatch it implies.
  checkIdxExpectation({ dtype: type.dtype, dims }, file, expect);

  const count = dims.reduce((a, b) => a * b, 1);
  const expectedLength = headerBytes + count * type.bytes;
  if (bytes.length !== expectedLength) {
    fail(`file length for ${type.dtype} [${dims.join(', ')}]`, `${expectedLength} bytes`, `${bytes.length} bytes`);
  }
  return { dtype: type.dtype, dims, data: readElements(view, headerBytes, count, type.dtype, bytes) };
}

/** Converts big-endian elements to a host-order typed array (uint8 as a zero-copy view). */
function readElements(view: DataView, offset: number, count: number, dtype: IdxDtype, bytes: Uint8Array): IdxData {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}
