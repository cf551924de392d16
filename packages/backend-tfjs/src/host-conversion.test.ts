/** int64 carried as int32 inside tfjs: round trip, and refusal of values that do not fit. */
import { describe, expect, it } from 'vitest';
import { RunError, bool, float32, int64 } from '@rank-collapse/backend';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

const { tf } = await loadTfjs({ prefer: ['cpu'] });
const backend = createTfjsBackend({ tf });

describe('host conversion', () => {
  it('round-trips int64 within the int32 range, bool, and float64 data as float32', async () => {
    const big = int64([3], [-(2 ** 31), 0, 2 ** 31 - 1]);
    const r = backend.upload(big);
    expect(await backend.download(r)).toEqual(big);
    backend.dispose(r);
    backend.dispose(r);
    const flags = bool([2, 2], [1, 0, 0, 1]);
    expect(await backend.download(backend.upload(flags))).toEqual(flags);
    const third = await backend.download(backend.upload(float32([1], new Float64Array([1 / 3]))));
    expect(third.data).toEqual(new Float32Array([1 / 3]));
  });

  it('refuses int64 values outside the int32 range, naming the index', () => {
    expect(() => backend.upload(int64([2], new BigInt64Array([1n, 2n ** 40n])))).toThrow(RunError);
    expect(() => backend.upload(int64([2], new BigInt64Array([1n, -(2n ** 31n) - 1n])))).toThrow(/int64 value -2147483649 at index 1 does not fit the int32/);
    expect(() => backend.upload(int64([2], new BigInt64Array([1n, 2n ** 40n])))).toThrow(/int64 value 1099511627776 at index 1 does not fit the int32/);
  });

  it('refuses a disposed resident tensor and one of another backend', async () => {
    const r = backend.upload(float32([1], [1]));
    backend.dispose(r);
    await expect(backend.download(r)).rejects.toThrow(/was disposed/);
    const foreign = { kind: 'resident' as const, backend: 'onnx', dtype: 'float32' as const, shape: [1] };
    await expect(backend.download(foreign)).rejects.toThrow(/resident tensor of backend "onnx" passed to "tfjs-cpu"/);
  });
});
