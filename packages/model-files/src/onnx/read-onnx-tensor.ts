/**
 * Shapes and values of ONNX TensorProtos as a weight reader needs them: every size checked against the bytes
 * really present (in the model or its external data file) before anything of that size is allocated.
 */
import { open, stat } from 'node:fs/promises';
import { ModelFileError } from '@rank-collapse/backend';
import { resolveInside } from '../safe-path.js';
import type { OnnxTensor } from './onnx-schema.js';

/** TensorProto.DataType values. */
export const ONNX_TYPE = { FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, BFLOAT16: 16 } as const;

const TYPE_NAMES = ['UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16', 'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ', 'FLOAT8E5M2', 'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1'];

/** Bytes per element of the types this reader decodes. */
const WIDTH: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 };

/** The ONNX name of an element type (`FLOAT16`), or its number when unknown. */
export const onnxTypeName = (type: number): string => TYPE_NAMES[type] ?? String(type);

/** Float types a weight matrix may have (float16 and bfloat16 are widened to float32). */
export const isFloatType = (type: number): boolean => type === ONNX_TYPE.FLOAT || type === ONNX_TYPE.DOUBLE || type === ONNX_TYPE.FLOAT16 || type === ONNX_TYPE.BFLOAT16;

/** Integer types DequantizeLinear and the QLinear ops take. */
export const isIntegerType = (type: number): boolean => [2, 3, 4, 5, 6, 7, 12, 13].includes(type);

/** A decoded tensor: float and integer values alike as numbers (integers exact up to 2^53). */
export interface TensorValues {
  readonly shape: readonly number[];
  /** Float32Array for FLOAT, FLOAT16 and BFLOAT16; Float64Array for DOUBLE and every integer type. */
  readonly values: Float32Array | Float64Array;
}

/**
 * The shape of `t`, validated: integer dims ≥ 0 whose product is a safe integer.
 * @param what names the tensor and where it is used, for messages
 * @throws ModelFileError naming `file` and `what`
 */
export function tensorShape(file: string, t: OnnxTensor, what: string): number[] {
  const shape = (t.dims ?? []).map(Number);
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ModelFileError(file, `${what}: invalid dims [${shape.join(', ')}] (expected integers ≥ 0)`);
    count *= d;
    if (!Number.isSafeInteger(count)) throw new ModelFileError(file, `${what}: dims [${shape.join(', ')}] hold more elements than any file can`);
  }
  return shape;
}

/**
 * Decodes the values of `t` (raw_data, the typed fields, or external data inside `modelDir`).
 * @throws ModelFileError naming `file` and `what`: an element type other than float, double, float16,
 * bfloat16 and the integers; a data length that does not match the dims; external data missing, outside the
 * model's folder or shorter than the tensor.
 */
export async function readTensorValues(file: string, modelDir: string, t: OnnxTensor, what: string): Promise<TensorValues> {
  const shape = tensorShape(file, t, what);
  const count = shape.reduce((p, d) => p * d, 1);
  const type = t.dataType ?? 0;
  const width = WIDTH[type];
  if (width === undefined) throw new ModelFileError(file, `${what}: element type ${onnxTypeName(type)} is not read (expected FLOAT, DOUBLE, FLOAT16, BFLOAT16 or an integer type)`);
  const bytes = count * width;
  let raw: Uint8Array | undefined;
  if (t.dataLocation === 1) raw = await readExternal(file, modelDir, t, what, bytes);
  else if (t.rawData && t.rawData.length > 0) raw = t.rawData;
  if (raw) {
    if (raw.length !== bytes) throw new ModelFileError(file, `${what}: ${raw.length} bytes of raw data for dims [${shape.join(', ')}] of ${onnxTypeName(type)} (${bytes} expected)`);
    return { shape, values: fromRaw(raw, type, count) };
  }
  return { shape, values: fromFields(file, t, type, count, shape, what) };
}

/** ONNX raw data is little-endian, as are the platforms Node runs on here, so typed views read it directly. */
function fromRaw(raw: Uint8Array, type: number, count: number): Float32Array | Float64Array {
  // A copy into a fresh, aligned buffer of its own: raw_data may sit at any offset of the file (and
  // Buffer#slice would return a view of the whole file's memory).
  const buffer = new Uint8Array(raw).buffer;
  switch (type) {
    case ONNX_TYPE.FLOAT:
      return new Float32Array(buffer);
    case ONNX_TYPE.DOUBLE:
      return new Float64Array(buffer);
    case ONNX_TYPE.FLOAT16:
      return halfToFloat(new Uint16Array(buffer));
    case ONNX_TYPE.BFLOAT16:
      return bfloatToFloat(new Uint16Array(buffer));
    case ONNX_TYPE.INT64:
      return Float64Array.from(new BigInt64Array(buffer), Number);
    case ONNX_TYPE.UINT64:
      return Float64Array.from(new BigUint64Array(buffer), Number);
    default: {
      const views: Record<number, new (b: ArrayBuffer) => ArrayLike<number>> = { 2: Uint8Array, 3: Int8Array, 4: Uint16Array, 5: Int16Array, 6: Int32Array, 12: Uint32Array };
      const out = Float64Array.from(new views[type](buffer));
      if (out.length !== count) throw new Error('unreachable: raw length was checked');
      return out;
    }
  }
}

/** The typed fields: float_data, double_data, int64_data, uint64_data, or int32_data for narrower types (float16 and bfloat16 as bit patterns). */
function fromFields(file: string, t: OnnxTensor, type: number, count: number, shape: number[], what: string): Float32Array | Float64Array {
  const field =
    type === ONNX_TYPE.FLOAT ? 'float_data' : type === ONNX_TYPE.DOUBLE ? 'double_data' : type === ONNX_TYPE.INT64 ? 'int64_data' : type === ONNX_TYPE.UINT32 || type === ONNX_TYPE.UINT64 ? 'uint64_data' : 'int32_data';
  const values = { float_data: t.floatData, double_data: t.doubleData, int64_data: t.int64Data, uint64_data: t.uint64Data, int32_data: t.int32Data }[field] ?? [];
  if (values.length !== count) {
    throw new ModelFileError(file, `${what}: ${values.length} values in ${field} for dims [${shape.join(', ')}] (${count} expected)${values.length === 0 ? '; the tensor has no data' : ''}`);
  }
  if (type === ONNX_TYPE.FLOAT) return Float32Array.from(values);
  if (type === ONNX_TYPE.FLOAT16) return halfToFloat(Uint16Array.from(values));
  if (type === ONNX_TYPE.BFLOAT16) return bfloatToFloat(Uint16Array.from(values));
  return Float64Array.from(values, Number);
}

/** IEEE 754 binary16 bit patterns → float32 values (exact: every half is a float). */
function halfToFloat(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** bfloat16 is the upper half of a float32. */
function bfloatToFloat(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return new Float32Array(words.buffer);
}

/** Reads external data after checking its location (inside the model's folder) and extent (inside the file). */
async function readExternal(file: string, modelDir: string, t: OnnxTensor, what: string, bytes: number): Promise<Uint8Array> {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) throw new ModelFileError(file, `${what}: external data without a location`);
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : bytes;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new ModelFileError(file, `${what}: external data offset "${entries.get('offset')}" or length "${entries.get('length')}" is not an integer ≥ 0`);
  }
  if (length !== bytes) throw new ModelFileError(file, `${what}: external data length ${length} bytes, but the dims need ${bytes}`);
  const path = resolveInside(file, modelDir, location, `external data of ${what}`);
  const size = (await stat(path)).size;
  if (offset + length > size) throw new ModelFileError(file, `${what}: external data "${location}" has ${size} bytes, the tensor needs bytes ${offset} to ${offset + length}`);
  const out = new Uint8Array(length);
  const handle = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) throw new ModelFileError(file, `${what}: external data "${location}" ended after ${done} of ${length} bytes`);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return out;
}
