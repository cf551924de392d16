/**
 * Checkpoint files. Layout (little-endian):
 *
 *     bytes 0–7   magic "RCCKPT01"
 *     bytes 8–11  uint32 H, the byte length of the header
 *     next H      UTF-8 JSON header: { format, epoch, step, seed, epochs, meta, dataByteLength, dataCrc32,
 *                 tensors: [{ group: 'param'|'velocity', name, shape, storage: 'float32'|'float64', offset, byteLength }] }
 *     zero padding to a multiple of 8, then the data section (tensor bytes at their offsets, CRC-32 checked)
 *
 * float32 tensors keep their storage (Float64Array data from the float64 reference backend stays float64), so
 * a save/load round trip is bit-exact.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostTensor } from '@rank-collapse/backend';
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
import { CheckpointError } from './checkpoint-error.js';
import { crc32 } from './crc32.js';

const MAGIC = 'RCCKPT01';

interface TensorEntry {
  group: 'param' | 'velocity';
  name: string;
  shape: number[];
  storage: 'float32' | 'float64';
  offset: number;
  byteLength: number;
}

interface Header {
  format: string;
  epoch: number;
  step: number;
  seed: number | string;
  epochs: Checkpoint['epochs'];
  meta?: Record<string, unknown>;
  dataByteLength: number;
  dataCrc32: number;
  tensors: TensorEntry[];
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Serializes a checkpoint to bytes (format above). @throws CheckpointError for a tensor that is not float32. */
export function encodeCheckpoint(checkpoint: Checkpoint, file = '(checkpoint)'): Uint8Array {
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (group: TensorEntry['group'], name: string, t: HostTensor): void => {
    if (t.dtype !== 'float32' || !(t.data instanceof Float32Array || t.data instanceof Float64Array)) {
      throw new CheckpointError(file, `${group} "${name}" is ${t.dtype} ${t.data.constructor.name}; checkpoints hold float32 tensors`);
    }
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    entries.push({ group, name, shape: [...t.shape], storage: t.data instanceof Float64Array ? 'float64' : 'float32', offset, byteLength: bytes.byteLength });
    chunks.push(bytes);
    offset = align8(offset + bytes.byteLength);
  };
  for (const [name, t] of checkpoint.params) add('param', name, t);
  for (const [name, t] of checkpoint.velocities) add('velocity', name, t);
  const data = new Uint8Array(offset);
  entries.forEach((e, i) => data.set(chunks[i], e.offset));
  const header: Header = {
    format: checkpoint.format,
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    seed: checkpoint.seed,
    epochs: checkpoint.epochs,
    ...(checkpoint.meta ? { meta: { ...checkpoint.meta } } : {}),
    dataByteLength: data.byteLength,
    dataCrc32: crc32(data),
    tensors: entries,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(12 + json.byteLength);
  const out = new Uint8Array(dataStart + data.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.byteLength, true);
  out.set(json, 12);
  out.set(data, dataStart);
  return out;
}

/**
 * Parses checkpoint bytes, validating magic, header, tensor extents and the data checksum.
 * @throws CheckpointError naming `file` and what is wrong (truncated, corrupt, wrong format).
 */
export function decodeCheckpoint(bytes: Uint8Array, file = '(checkpoint)'): Checkpoint {
  const fail = (problem: string, cause?: unknown): never => {
    throw new CheckpointError(file, problem, cause === undefined ? undefined : { cause });
  };
  if (bytes.byteLength < 12) fail(`truncated: ${bytes.byteLength} bytes, not a checkpoint`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail(`not a checkpoint file (magic bytes are not "${MAGIC}")`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.byteLength) fail(`truncated: header of ${headerLength} bytes does not fit in ${bytes.byteLength} bytes`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch (error) {
    return fail('corrupt header (not valid UTF-8 JSON)', error);
  }
  if (header.format !== CHECKPOINT_FORMAT) fail(`format "${String(header.format)}", expected "${CHECKPOINT_FORMAT}"`);
  for (const key of ['epoch', 'step', 'dataByteLength', 'dataCrc32'] as const) {
    if (!Number.isInteger(header[key]) || header[key] < 0) fail(`corrupt header: ${key} is ${String(header[key])}`);
  }
  if (!Array.isArray(header.tensors) || !Array.isArray(header.epochs)) fail('corrupt header: tensors or epochs missing');
  const dataStart = align8(12 + headerLength);
  if (dataStart + header.dataByteLength !== bytes.byteLength) {
    fail(`truncated or extended: data section should be ${header.dataByteLength} bytes, file has ${bytes.byteLength - dataStart}`);
  }
  const data = bytes.subarray(dataStart);
  const crc = crc32(data);
  if (crc !== header.dataCrc32) fail(`corrupt data: CRC-32 ${crc.toString(16)} does not match the header's ${header.dataCrc32.toString(16)}`);
  const params = new Map<string, HostTensor>();
  const velocities = new Map<string, HostTensor>();
  for (const e of header.tensors) {
    const width = e.storage === 'float64' ? 8 : e.storage === 'float32' ? 4 : fail(`tensor "${e.name}": unknown storage ${String(e.storage)}`);
    const count = Array.isArray(e.shape) ? e.shape.reduce((p, d) => p * d, 1) : NaN;
    if (!(count * width === e.byteLength) || e.offset < 0 || e.offset + e.byteLength > data.byteLength) {
      fail(`tensor "${e.name}": shape [${String(e.shape)}] and extent ${e.offset}+${e.byteLength} do not fit the data section`);
    }
    // A fresh, 8-byte-aligned copy (the input may be a Node Buffer, whose slice() shares memory).
    const copy = new Uint8Array(e.byteLength);
    copy.set(data.subarray(e.offset, e.offset + e.byteLength));
    const tensor: HostTensor = { dtype: 'float32', shape: e.shape, data: width === 8 ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer) };
    (e.group === 'velocity' ? velocities : params).set(e.name, tensor);
  }
  return {
    format: CHECKPOINT_FORMAT,
    epoch: header.epoch,
    step: header.step,
    seed: header.seed,
    params,
    velocities,
    epochs: header.epochs,
    ...(header.meta ? { meta: header.meta } : {}),
  };
}

/**
 * Writes a checkpoint file atomically (a temporary file renamed over `path`), creating the directory.
 * @throws CheckpointError naming the file when it cannot be written.
 */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const bytes = encodeCheckpoint(checkpoint, path);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    throw new CheckpointError(path, `cannot write: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Reads and validates a checkpoint file.
 * @throws CheckpointError naming the file when it is missing, truncated or corrupt.
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(path);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CheckpointError(path, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return decodeCheckpoint(bytes, path);
}
