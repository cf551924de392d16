/**
 * ONNX TensorProto → host arrays: raw or typed-field data, external data files (through {@link resolveInside},
 * so never outside the model's folder), every numeric element type including FLOAT16, BFLOAT16 and the 8- and
 * 4-bit integers of quantized weights. Sizes are checked against the bytes actually present before anything of
 * the claimed size is allocated.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ModelFileError, type HostTensor } from '@rank-collapse/backend';
import { resolveInside } from '../../safe-path.js';
import { ONNX_DTYPE, type TensorProto } from './onnx-proto.js';

/** A problem with one tensor; callers turn it into a ModelFileError naming the file. */
export class TensorReadError extends Error {}

/** Where external data may live: the model's folder (`modelDir`), never outside it. */
export interface TensorSource {
  readonly modelDir: string;
  /** The model file, for messages (defaults to `modelDir`). */
  readonly modelFile?: string;
}

/** The typed arrays a tensor decodes to (4-bit integers widen to Int8Array/Uint8Array, 16-bit floats to Float32Array). */
export type TensorValues = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A decoded tensor: its ONNX element type, shape and values (row-major). */
export interface DecodedTensor {
  readonly elementType: number;
  readonly shape: number[];
  readonly values: TensorValues;
}

const D = ONNX_DTYPE;
/** Bytes per element; 4-bit types are handled apart (two per byte). */
const BYTES: Record<number, number> = { [D.FLOAT]: 4, [D.UINT8]: 1, [D.INT8]: 1, [D.UINT16]: 2, [D.INT16]: 2, [D.INT32]: 4, [D.INT64]: 8, [D.BOOL]: 1, [D.FLOAT16]: 2, [D.DOUBLE]: 8, [D.UINT32]: 4, [D.UINT64]: 8, [D.BFLOAT16]: 2, [D.UINT4]: 0.5, [D.INT4]: 0.5 };
const NAMES: Record<number, string> = Object.fromEntries(Object.entries(ONNX_DTYPE).map(([k, v]) => [v, k]));

/** The name onnx.proto gives an element type (`FLOAT16`), or its number when unknown. */
export function elementTypeName(type: number): string {
  return NAMES[type] ?? String(type);
}

/** Whether the reader decodes tensors of this element type. */
export function isReadableElementType(type: number): boolean {
  return BYTES[type] !== undefined;
}

/**
 * The tensor's shape and element count, validated (non-negative integer dims, a count that is a safe integer).
 * @throws TensorReadError naming the tensor.
 */
export function tensorShape(t: TensorProto, what = `tensor "${t.name ?? ''}"`): { shape: number[]; count: number } {
  const shape = (t.dims ?? []).map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new TensorReadError(`${what}: invalid dims [${shape}]`);
  const count = shape.reduce((p, d) => p * d, 1);
  if (!Number.isSafeInteger(count)) throw new TensorReadError(`${what}: dims [${shape}] give ${count} elements, more than any file holds`);
  return { shape, count };
}

/**
 * Checks a tensor without decoding its values: dims, element type, and that the data present (raw bytes, typed
 * fields, or the external file's size) matches the dims. Cheap; external files are only resolved and sized.
 * @throws TensorReadError naming the tensor and what was expected.
 */
export function checkTensorProto(t: TensorProto, source: TensorSource, what = `tensor "${t.name ?? ''}"`): void {
  const { shape, count } = tensorShape(t, what);
  const type = t.dataType ?? 0;
  const bytes = byteLength(type, count, what);
  if (t.dataLocation === 1) {
    const location = externalLocation(t, source, what, bytes);
    const fd = openExternal(location.path, what);
    try {
      checkSize(fstatSync(fd).size, location, what, bytes);
    } finally {
      closeSync(fd);
    }
    return;
  }
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== bytes) throw new TensorReadError(`${what}: ${t.rawData.length} bytes of data for shape [${shape}] (${bytes} expected)`);
    return;
  }
  const [field, n] = typedField(t, type);
  if (expectedFieldLength(type, count) !== n) throw new TensorReadError(`${what}: ${n} values in ${field} for shape [${shape}] (${expectedFieldLength(type, count)} expected)`);
}

/**
 * Decodes a tensor to a typed array of its own element type (16-bit floats to Float32Array).
 * @throws TensorReadError naming the tensor: bad dims, unsupported element type, data not matching the dims,
 * external data missing, too short or outside the model's folder.
 */
export function decodeTensorProto(t: TensorProto, source: TensorSource, what = `tensor "${t.name ?? ''}"`): DecodedTensor {
  const { shape, count } = tensorShape(t, what);
  const type = t.dataType ?? 0;
  const bytes = byteLength(type, count, what);
  let raw: Uint8Array | undefined;
  if (t.dataLocation === 1) raw = readExternal(t, source, what, bytes);
  else if (t.rawData && t.rawData.length > 0) raw = t.rawData;
  if (raw) {
    if (raw.length !== bytes) throw new TensorReadError(`${what}: ${raw.length} bytes of data for shape [${shape}] (${bytes} expected)`);
    return { elementType: type, shape, values: fromRaw(type, raw, count) };
  }
  const [field, n] = typedField(t, type);
  if (expectedFieldLength(type, count) !== n) throw new TensorReadError(`${what}: ${n} values in ${field} for shape [${shape}] (${expectedFieldLength(type, count)} expected)`);
  return { elementType: type, shape, values: fromFields(t, type, count) };
}

/**
 * Decodes a TensorProto onto the IR's three dtypes (float types → float32, integer types → int64, bool).
 * @throws TensorReadError naming the tensor and the problem.
 */
export function readTensorProto(t: TensorProto, source: TensorSource, what = `tensor "${t.name ?? ''}"`): HostTensor {
  const { shape, values, elementType } = decodeTensorProto(t, source, what);
  if (values instanceof Float32Array) return { dtype: 'float32', shape, data: values };
  if (values instanceof Float64Array) return { dtype: 'float32', shape, data: Float32Array.from(values) };
  if (elementType === D.BOOL) return { dtype: 'bool', shape, data: Uint8Array.from(values as Uint8Array, (v) => (v ? 1 : 0)) };
  if (values instanceof BigInt64Array) return { dtype: 'int64', shape, data: values };
  if (values instanceof BigUint64Array) return { dtype: 'int64', shape, data: BigInt64Array.from(values) };
  return { dtype: 'int64', shape, data: BigInt64Array.from(values as ArrayLike<number>, (v) => BigInt(v)) };
}

function byteLength(type: number, count: number, what: string): number {
  const width = BYTES[type];
  if (width === undefined) throw new TensorReadError(`${what}: element type ${elementTypeName(type)} is not supported (float, float16, bfloat16, double, bool and integers of 4 to 64 bits are)`);
  return Math.ceil(count * width);
}

/** The typed field that holds this element type when there is no raw data, and its length. */
function typedField(t: TensorProto, type: number): [string, number] {
  if (type === D.FLOAT) return ['float_data', t.floatData?.length ?? 0];
  if (type === D.DOUBLE) return ['double_data', t.doubleData?.length ?? 0];
  if (type === D.INT64) return ['int64_data', t.int64Data?.length ?? 0];
  if (type === D.UINT32 || type === D.UINT64) return ['uint64_data', t.uint64Data?.length ?? 0];
  return ['int32_data', t.int32Data?.length ?? 0];
}

/** 4-bit integers pack two per int32_data entry, as onnx's numpy_helper writes them. */
function expectedFieldLength(type: number, count: number): number {
  return type === D.INT4 || type === D.UINT4 ? Math.ceil(count / 2) : count;
}

function fromRaw(type: number, raw: Uint8Array, count: number): TensorValues {
  // Typed views need an aligned buffer of their own (raw data is a view into the file bytes).
  const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  switch (type) {
    case D.FLOAT:
      return new Float32Array(buffer);
    case D.DOUBLE:
      return new Float64Array(buffer);
    case D.FLOAT16:
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case D.BFLOAT16:
      return Float32Array.from(new Uint16Array(buffer), bfloat16ToFloat);
    case D.UINT8:
    case D.BOOL:
      return new Uint8Array(buffer);
    case D.INT8:
      return new Int8Array(buffer);
    case D.UINT16:
      return new Uint16Array(buffer);
    case D.INT16:
      return new Int16Array(buffer);
    case D.INT32:
      return new Int32Array(buffer);
    case D.UINT32:
      return new Uint32Array(buffer);
    case D.INT64:
      return new BigInt64Array(buffer);
    case D.UINT64:
      return new BigUint64Array(buffer);
    default:
      return unpack4(new Uint8Array(buffer), count, type === D.INT4);
  }
}

function fromFields(t: TensorProto, type: number, count: number): TensorValues {
  const ints = t.int32Data ?? [];
  switch (type) {
    case D.FLOAT:
      return Float32Array.from(t.floatData ?? []);
    case D.DOUBLE:
      return Float64Array.from(t.doubleData ?? []);
    case D.FLOAT16:
      return Float32Array.from(ints, (v) => halfToFloat(v & 0xffff));
    case D.BFLOAT16:
      return Float32Array.from(ints, (v) => bfloat16ToFloat(v & 0xffff));
    case D.INT64:
      return BigInt64Array.from(t.int64Data ?? [], (v) => BigInt(v));
    case D.UINT32:
      return Uint32Array.from(t.uint64Data ?? []);
    case D.UINT64:
      return BigUint64Array.from(t.uint64Data ?? [], (v) => BigInt(v));
    case D.UINT8:
    case D.BOOL:
      return Uint8Array.from(ints);
    case D.INT8:
      return Int8Array.from(ints);
    case D.UINT16:
      return Uint16Array.from(ints);
    case D.INT16:
      return Int16Array.from(ints);
    case D.INT32:
      return Int32Array.from(ints);
    default:
      return unpack4(Uint8Array.from(ints), count, type === D.INT4);
  }
}

/** Two 4-bit values per byte, the first in the low nibble. */
function unpack4(packed: Uint8Array, count: number, signed: boolean): Int8Array | Uint8Array {
  const out = signed ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const nibble = (packed[i >> 1] >> ((i & 1) * 4)) & 0xf;
    out[i] = signed && nibble >= 8 ? nibble - 16 : nibble;
  }
  return out;
}

/** IEEE 754 binary16 bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bits (the upper half of a float32) → number. */
export function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16);
  return view.getFloat32(0);
}

interface ExternalLocation {
  readonly location: string;
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

function externalLocation(t: TensorProto, source: TensorSource, what: string, expectedBytes: number): ExternalLocation {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) throw new TensorReadError(`${what}: external data without a location`);
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : expectedBytes;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new TensorReadError(`${what}: invalid external data offset ${entries.get('offset')} or length ${entries.get('length')}`);
  }
  let path: string;
  try {
    path = resolveInside(source.modelFile ?? source.modelDir, source.modelDir, location, `${what}: external data`);
  } catch (error) {
    // The caller names the file; keep the problem only.
    if (error instanceof ModelFileError) throw new TensorReadError(error.message.slice(error.file.length + 2), { cause: error });
    throw error;
  }
  return { location, path, offset, length };
}

function openExternal(path: string, what: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new TensorReadError(`${what}: external data cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

/** The file must hold offset + length bytes, and length must be what the dims need. */
function checkSize(size: number, external: ExternalLocation, what: string, expectedBytes: number): void {
  const { location, offset, length } = external;
  if (offset + length > size) throw new TensorReadError(`${what}: external data "${location}" has ${size} bytes, needs ${offset + length} (offset ${offset} + length ${length})`);
  if (length !== expectedBytes) throw new TensorReadError(`${what}: external data "${location}" gives ${length} bytes for ${expectedBytes} bytes of values`);
}

/** Reads external data; its size is checked against the file before the buffer is allocated. */
function readExternal(t: TensorProto, source: TensorSource, what: string, expectedBytes: number): Uint8Array {
  const external = externalLocation(t, source, what, expectedBytes);
  const { path, offset, length } = external;
  const fd = openExternal(path, what);
  try {
    checkSize(fstatSync(fd).size, external, what, expectedBytes);
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, bytes, done, length - done, offset + done);
      if (n === 0) throw new TensorReadError(`${what}: external data ended after ${done} of ${length} bytes`);
      done += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
