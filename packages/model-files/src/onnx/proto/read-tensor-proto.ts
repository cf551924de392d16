/**
 * ONNX TensorProto → host tensor: raw or typed-field data, external data files (confined to the model's
 * folder), dtypes mapped onto the IR's three (float types → float32, integer types → int64, bool).
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { HostTensor } from '@rank-collapse/backend';
import { ONNX_DTYPE, type TensorProto } from '../proto/onnx-proto.js';

/** A problem with one tensor; the importer turns it into a ModelFileError naming the file. */
export class TensorReadError extends Error {}

const BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };
const NAMES: Record<number, string> = { 0: 'UNDEFINED', 8: 'STRING', 10: 'FLOAT16', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16' };

/** Where external data may live: the model's folder (`modelDir`), never outside it. */
export interface TensorSource {
  readonly modelDir: string;
}

/** Decodes a TensorProto. @throws TensorReadError naming the tensor and the problem. */
export function readTensorProto(t: TensorProto, source: TensorSource, what = `tensor "${t.name ?? ''}"`): HostTensor {
  const shape = (t.dims ?? []).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new TensorReadError(`${what}: invalid dims [${shape}]`);
  const count = shape.reduce((p, d) => p * d, 1);
  const type = t.dataType ?? 0;
  const width = BYTES[type];
  if (!width) throw new TensorReadError(`${what}: element type ${NAMES[type] ?? type} is not supported (float, double, integers and bool are)`);
  const raw = t.dataLocation === 1 ? readExternal(t, source, what, count * width) : t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  if (raw && raw.length !== count * width) throw new TensorReadError(`${what}: ${raw.length} bytes of data for shape [${shape}] (${count * width} expected)`);

  const fromRaw = <T>(make: (buffer: ArrayBuffer) => T): T => make(raw!.buffer.slice(raw!.byteOffset, raw!.byteOffset + raw!.byteLength) as ArrayBuffer);
  const checkCount = (n: number, field: string) => {
    if (n !== count) throw new TensorReadError(`${what}: ${n} values in ${field} for shape [${shape}] (${count} expected)`);
  };
  switch (type) {
    case ONNX_DTYPE.FLOAT: {
      if (raw) return { dtype: 'float32', shape, data: fromRaw((b) => new Float32Array(b)) };
      checkCount(t.floatData?.length ?? 0, 'float_data');
      return { dtype: 'float32', shape, data: Float32Array.from(t.floatData ?? []) };
    }
    case ONNX_DTYPE.DOUBLE: {
      const values = raw ? fromRaw((b) => new Float64Array(b)) : Float64Array.from(t.doubleData ?? []);
      checkCount(values.length, 'double_data');
      return { dtype: 'float32', shape, data: Float32Array.from(values) };
    }
    case ONNX_DTYPE.BOOL: {
      const values = raw ? Uint8Array.from(raw) : Uint8Array.from(t.int32Data ?? [], (v) => (v ? 1 : 0));
      checkCount(values.length, 'int32_data');
      return { dtype: 'bool', shape, data: values };
    }
    case ONNX_DTYPE.INT64: {
      const values = raw ? fromRaw((b) => new BigInt64Array(b)) : BigInt64Array.from(t.int64Data ?? [], (v) => BigInt(v));
      checkCount(values.length, 'int64_data');
      return { dtype: 'int64', shape, data: values };
    }
    default: {
      // Narrower integers (int32, int8, uint8, ...): int64 in the IR, used for shapes and indices.
      const views: Record<number, (b: ArrayBuffer) => ArrayLike<number | bigint>> = {
        2: (b) => new Uint8Array(b),
        3: (b) => new Int8Array(b),
        4: (b) => new Uint16Array(b),
        5: (b) => new Int16Array(b),
        6: (b) => new Int32Array(b),
        12: (b) => new Uint32Array(b),
        13: (b) => new BigUint64Array(b),
      };
      const values = raw ? fromRaw(views[type]) : type === 13 ? (t.uint64Data ?? []) : (t.int32Data ?? []);
      checkCount(values.length, 'int32_data');
      return { dtype: 'int64', shape, data: BigInt64Array.from(Array.from(values as ArrayLike<number | bigint>), (v) => BigInt(v)) };
    }
  }
}

/** Reads external data, refusing locations outside the model's folder (absolute paths, `..`, symlinks out). */
function readExternal(t: TensorProto, source: TensorSource, what: string, expectedBytes: number): Uint8Array {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) throw new TensorReadError(`${what}: external data without a location`);
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : expectedBytes;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new TensorReadError(`${what}: invalid external data offset ${entries.get('offset')} or length ${entries.get('length')}`);
  }
  if (isAbsolute(location)) throw new TensorReadError(`${what}: external data location "${location}" is an absolute path; only files inside the model's folder are read`);
  const dir = realpathSync(source.modelDir);
  const path = resolve(dir, location);
  const outside = (p: string) => {
    const r = relative(dir, p);
    return r === '' || r.startsWith('..') || isAbsolute(r);
  };
  if (outside(path)) throw new TensorReadError(`${what}: external data location "${location}" points outside the model's folder`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new TensorReadError(`${what}: external data file "${location}" does not exist`);
  }
  if (outside(real)) throw new TensorReadError(`${what}: external data location "${location}" resolves (through a link) outside the model's folder`);
  const size = statSync(real).size;
  if (offset + length > size) throw new TensorReadError(`${what}: external data "${location}" has ${size} bytes, needs ${offset + length} (offset ${offset} + length ${length})`);
  const bytes = new Uint8Array(length);
  const fd = openSync(real, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, bytes, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}
