/**
 * The header of a safetensors file: an 8-byte little-endian length N, N bytes of JSON
 * ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}), then the data region the
 * offsets are relative to. Everything the header claims is checked against the file's real size here,
 * before any tensor is read.
 */
import type { FileHandle } from 'node:fs/promises';
import { ModelFileError } from '@rank-collapse/backend';

/** Largest header read (the format's own limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Most axes a tensor may claim. */
const MAX_RANK = 16;

/** Bytes per element of each safetensors dtype. */
export const SAFETENSORS_ITEM_SIZE: Readonly<Record<string, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/** One tensor of the header, offsets made absolute (bytes from the start of the file). */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly start: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  /** In file order (by data offset). */
  readonly entries: readonly SafetensorsEntry[];
  /** The `__metadata__` string map, null when absent. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

/**
 * Reads and validates the header of the open file (`size` bytes).
 * @throws ModelFileError naming the file and, for a bad entry, the tensor: a length prefix beyond the file or
 * over 100 MB, JSON that is not an object, an entry without a known dtype, an integer shape or two integer
 * offsets, offsets outside the data region, a byte length other than product(shape)·itemsize, overlapping
 * tensors
 */
export async function readSafetensorsHeader(file: string, handle: FileHandle, size: number): Promise<SafetensorsHeader> {
  if (size < 8) throw new ModelFileError(file, `is ${size} bytes long: too short for a safetensors header length`);
  const prefix = new Uint8Array(8);
  await readFully(file, handle, prefix, 0);
  const claimed = new DataView(prefix.buffer).getBigUint64(0, true);
  if (claimed > BigInt(MAX_HEADER_BYTES)) throw new ModelFileError(file, `safetensors header claims ${claimed} bytes; at most ${MAX_HEADER_BYTES} are read`);
  const length = Number(claimed);
  if (8 + length > size) throw new ModelFileError(file, `safetensors header claims ${length} bytes but the file has only ${size - 8} after the length (truncated?)`);
  const bytes = new Uint8Array(length);
  await readFully(file, handle, bytes, 8);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ModelFileError(file, `safetensors header is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(file, 'safetensors header is not a JSON object');
  const dataStart = 8 + length;
  const dataSize = size - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(file, value);
      continue;
    }
    const entry = checkEntry(file, name, value, dataSize);
    entries.push({ name, dtype: entry.dtype, shape: entry.shape, start: dataStart + entry.begin, end: dataStart + entry.end });
  }
  entries.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < entries.length; i++) {
    const [a, b] = [entries[i - 1], entries[i]];
    if (b.start < a.end) throw new ModelFileError(file, `tensor "${b.name}": its bytes ${b.start - dataStart}–${b.end - dataStart} overlap those of "${a.name}" (${a.start - dataStart}–${a.end - dataStart})`);
  }
  return { entries, metadata };
}

function checkEntry(file: string, name: string, value: unknown, dataSize: number): { dtype: string; shape: number[]; begin: number; end: number } {
  const fail = (problem: string) => new ModelFileError(file, `tensor "${name}": ${problem}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('header entry is not an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_ITEM_SIZE)) throw fail(`dtype ${JSON.stringify(dtype)} is not one of ${Object.keys(SAFETENSORS_ITEM_SIZE).join(', ')}`);
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`shape ${JSON.stringify(shape)?.slice(0, 80)} is not a list of at most ${MAX_RANK} non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw fail(`data_offsets ${JSON.stringify(offsets)?.slice(0, 80)} is not [begin, end]`);
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataSize) throw fail(`data_offsets [${begin}, ${end}] lie outside the data region of ${dataSize} bytes (truncated file or a lying header)`);
  const itemSize = SAFETENSORS_ITEM_SIZE[dtype];
  // The product is bounded by the real data size while it is formed, so an absurd shape fails without overflow.
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count * itemSize > dataSize) throw fail(`shape [${shape.join(', ')}] of ${dtype} needs more bytes than the file's data region holds (${dataSize})`);
  }
  if (count * itemSize !== end - begin) throw fail(`shape [${shape.join(', ')}] of ${dtype} is ${count * itemSize} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  return { dtype, shape: shape as number[], begin, end };
}

function checkMetadata(file: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ModelFileError(file, 'safetensors __metadata__ is not an object of strings');
  }
  return value as Record<string, string>;
}

/**
 * Fills `target` from the file at `position` with positioned reads.
 * @throws ModelFileError naming the file when it ends first
 */
export async function readFully(file: string, handle: FileHandle, target: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new ModelFileError(file, `ends at byte ${position + done}, before the ${target.length} bytes expected from byte ${position} (truncated while reading?)`);
    done += bytesRead;
  }
}
