import { describe, expect, it } from 'vitest';
import { idxBytes } from './__fixtures__/idx-bytes.js';
import { DatasetError } from './dataset-error.js';
import { parseIdx } from './parse-idx.js';

/** Runs `fn`, asserting it throws a DatasetError, and returns it. */
function catchError(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

describe('parseIdx', () => {
  it('reads hand-written big-endian int16 bytes', () => {
    const bytes = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    const idx = parseIdx(bytes, 'h.idx');
    expect(idx.dtype).toBe('int16');
    expect(idx.dims).toEqual([2]);
    expect(Array.from(idx.data)).toEqual([258, -2]);
  });

  it('reads a uint8 3-D file as a view of the input', () => {
    const bytes = idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const idx = parseIdx(bytes, 'u8', { dtype: 'uint8', dims: [null, 2, 3] });
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(idx.data.buffer).toBe(bytes.buffer);
  });

  it.each([
    [0x09, 'int8', [-128, 127, -1]],
    [0x0c, 'int32', [-2147483648, 2147483647, 123456]],
    [0x0d, 'float32', [1.5, -0.25, 3e38]],
    [0x0e, 'float64', [Math.PI, -1e-300, 42]],
  ] as const)('reads dtype code %i as %s', (code, dtype, values) => {
    const idx = parseIdx(idxBytes(code, [values.length], values), 'f');
    expect(idx.dtype).toBe(dtype);
    const expected = dtype === 'float32' ? Array.from(Float32Array.from(values)) : values;
    expect(Array.from(idx.data)).toEqual(expected);
  });

  it('rejects a wrong magic number, naming the file and the bytes found', () => {
    const bytes = idxBytes(0x08, [1], [0]);
    bytes[1] = 0x08;
    const error = catchError(() => parseIdx(bytes, 'bad-magic.idx'));
    expect(error.code).toBe('invalid-format');
    expect(error.file).toBe('bad-magic.idx');
    expect(error.found).toBe('0x0008');
    expect(error.message).toMatch(/^bad-magic\.idx: IDX magic number: expected 0x0000/);
  });

  it('rejects a gzip file handed to the plain parser as a bad magic number', () => {
    const error = catchError(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'x.gz'));
    expect(error.found).toBe('0x1f8b');
  });

  it('rejects an unknown dtype code', () => {
    const error = catchError(() => parseIdx(idxBytes(0x0a, [1], []), 'dtype.idx'));
    expect(error.message).toContain('IDX dtype code');
    expect(error.found).toBe('0x0a');
  });

  it('rejects rank 0 and a header shorter than its rank says', () => {
    expect(catchError(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'r0')).message).toContain('IDX rank');
    const short = catchError(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]), 'hdr'));
    expect(short.expected).toBe('16 bytes for 3 dimensions');
    expect(short.found).toBe('8 bytes');
    expect(catchError(() => parseIdx(new Uint8Array([0, 0]), 'tiny')).found).toBe('2 bytes');
  });

  it('rejects a truncated file with expected and found lengths', () => {
    const full = idxBytes(0x08, [3, 2, 2], new Array(12).fill(1));
    const error = catchError(() => parseIdx(full.subarray(0, full.length - 5), 'trunc'));
    expect(error.expected).toBe('28 bytes');
    expect(error.found).toBe('23 bytes');
    expect(error.message).toContain('uint8 [3, 2, 2]');
  });

  it('rejects trailing bytes after the data', () => {
    const full = idxBytes(0x0c, [2], [1, 2]);
    const padded = new Uint8Array(full.length + 1);
    padded.set(full);
    const error = catchError(() => parseIdx(padded, 'pad'));
    expect(error.expected).toBe('16 bytes');
    expect(error.found).toBe('17 bytes');
  });

  it('checks expected dtype and dimensions before the length', () => {
    const labels = idxBytes(0x08, [4], [1, 2, 3, 4]);
    const asImages = catchError(() => parseIdx(labels, 'labels', { dims: [null, 28, 28] }));
    expect(asImages.message).toBe('labels: IDX dimensions: expected [*, 28, 28], found [4]');
    const asFloat = catchError(() => parseIdx(labels, 'labels', { dtype: 'float32' }));
    expect(asFloat.expected).toBe('float32');
    expect(asFloat.found).toBe('uint8');
    const wrongSize = catchError(() => parseIdx(idxBytes(0x08, [2, 27, 28]), 'img', { dims: [null, 28, 28] }));
    expect(wrongSize.found).toBe('[2, 27, 28]');
  });
});
