import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idxBytes } from './__fixtures__/idx-bytes.js';
import { DatasetError } from './dataset-error.js';
import { clearIdxCache, isGzip, readIdxFile } from './read-idx-file.js';

const dir = mkdtempSync(join(tmpdir(), 'read-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readIdxFile', () => {
  const plain = idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);

  it('reads plain and gzip files alike, detecting gzip by magic bytes rather than by name', () => {
    const a = readIdxFile(write('plain-idx', plain));
    // A gzip stream under a name without .gz, and plain bytes under a .gz name.
    const b = readIdxFile(write('compressed-idx', gzipSync(plain)));
    const c = readIdxFile(write('misnamed.gz', plain));
    for (const idx of [a, b, c]) {
      expect(idx.dims).toEqual([2, 3]);
      expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    expect(isGzip(gzipSync(plain))).toBe(true);
    expect(isGzip(plain)).toBe(false);
  });

  it('reports a truncated gzip stream as invalid-format naming the file', () => {
    const gz = gzipSync(idxBytes(0x08, [1000], new Array(1000).fill(7)));
    const path = write('cut.gz', gz.subarray(0, gz.length - 10));
    expect(() => readIdxFile(path)).toThrow(DatasetError);
    try {
      readIdxFile(path);
    } catch (error) {
      expect((error as DatasetError).code).toBe('invalid-format');
      expect((error as DatasetError).message).toContain(`${path}: gzip stream: expected a complete gzip stream`);
    }
  });

  it('reports the IDX error inside a valid gzip stream with the file name', () => {
    const bad = idxBytes(0x08, [10], [1, 2, 3]);
    const path = write('short-inside.gz', gzipSync(bad));
    expect(() => readIdxFile(path)).toThrow(`${path}: file length for uint8 [10]: expected 18 bytes, found 11 bytes`);
  });

  it('reports a missing file as not-found', () => {
    const path = join(dir, 'absent');
    expect(() => readIdxFile(path)).toThrow(expect.objectContaining({ code: 'not-found', file: path }));
  });

  it('caches parsed files and re-reads a file that changed', () => {
    const path = write('cached', plain);
    const first = readIdxFile(path);
    expect(readIdxFile(path)).toBe(first);
    // Cached hits still enforce the caller's expectations.
    expect(() => readIdxFile(path, { dims: [null, 4] })).toThrow('IDX dimensions: expected [*, 4], found [2, 3]');
    writeFileSync(path, idxBytes(0x08, [1, 3], [9, 9, 9]));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(readIdxFile(path).dims).toEqual([1, 3]);
    clearIdxCache();
    expect(readIdxFile(path)).not.toBe(first);
  });
});
