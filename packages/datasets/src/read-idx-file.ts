import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { checkIdxExpectation } from './check-idx-expectation.js';
import { DatasetError } from './dataset-error.js';
import { parseIdx, type IdxArray, type IdxExpectation } from './parse-idx.js';

/** Parsed files kept for the life of the process, keyed by path; size and mtime detect a replaced file. */
const cache = new Map<string, { size: number; mtimeMs: number; idx: IdxArray }>();

/** True when `bytes` start with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads and parses an IDX file, plain or gzip-compressed (detected by its magic bytes, not its name).
 * Results are cached in memory per process: callers must not mutate `data`.
 * @throws DatasetError `not-found` when the file does not exist, `invalid-format` when it is not a valid IDX file
 * (or not valid gzip), or does not match `expect`.
 */
export function readIdxFile(path: string, expect: IdxExpectation = {}): IdxArray {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new DatasetError('not-found', 'file does not exist', { file: path });
  }
  const hit = cache.get(path);
  if (hit !== undefined && hit.size === stats.size && hit.mtimeMs === stats.mtimeMs) {
    // Checked on every call: the same cached file may be read with different expectations.
    checkIdxExpectation(hit.idx, path, expect);
    return hit.idx;
  }
  const idx = parseIdx(decompress(readFileSync(path), path), path, expect);
  cache.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, idx });
  return idx;
}

/** Forgets every cached file (for tests and long-running processes that need the memory back). */
export function clearIdxCache(): void {
  cache.clear();
}

function decompress(bytes: Uint8Array, path: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DatasetError('invalid-format', 'gzip stream', {
      file: path,
      expected: 'a complete gzip stream',
      found: `a stream that fails to decompress (${(error as Error).message})`,
    });
  }
}
