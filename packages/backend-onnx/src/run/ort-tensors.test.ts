/** The hot path shares host data with onnxruntime instead of copying it (float32, int64 and bool). */
import { GraphBuilder, RunError, float32, int64, bool } from '@rank-collapse/backend';
import { createReferenceBackend } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { feedTensor, fromOrtTensor, toOrtTensor } from './ort-tensors.js';

describe('host ↔ runtime tensors', () => {
  it('wraps Float32Array, BigInt64Array and Uint8Array data without copying', () => {
    for (const host of [float32([2, 2], [1, 2, 3, 4]), int64([3], [1, 2, 3]), bool([2], [true, false])]) {
      const t = toOrtTensor(ort, host);
      expect(t.data).toBe(host.data);
      expect(fromOrtTensor(t, 'x').data).toBe(host.data);
    }
  });

  it('converts Float64Array data (the reference backend’s) to float32 once', () => {
    const t = toOrtTensor(ort, { dtype: 'float32', shape: [2], data: Float64Array.of(0.1, 2) });
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data as Float32Array)).toEqual([Math.fround(0.1), 2]);
  });

  it('feeds a resident tensor as its own runtime tensor and refuses another backend’s', () => {
    const backend = createOnnxBackend({ ort });
    const r = backend.upload(float32([2], [1, 2]));
    expect(feedTensor(ort, r, 'p')).toBe(feedTensor(ort, r, 'p'));
    const foreign = createReferenceBackend().upload(float32([2], [1, 2]));
    expect(() => feedTensor(ort, foreign, 'p')).toThrow(/belongs to backend "reference"/);
    backend.dispose(r);
    expect(() => feedTensor(ort, r, 'p')).toThrow(RunError);
  });

  it('names the feed that is missing or of the wrong shape or dtype', async () => {
    const g = new GraphBuilder('feeds');
    const x = g.input('x', 'float32', ['N', 2]);
    const y = g.input('y', 'float32', ['N', 2]);
    g.output(g.add(x, y), 'z');
    const exe = await createOnnxBackend({ ort }).compile(g.build());
    await expect(exe.run({ x: float32([1, 2]) })).rejects.toThrow(/feed "y" is missing/);
    await expect(exe.run({ x: float32([1, 2]), y: float32([1, 3]) })).rejects.toThrow(/feed "y" has shape \[1, 3\], expected \[N, 2\]/);
    await expect(exe.run({ x: float32([1, 2]), y: float32([2, 2]) })).rejects.toThrow(/dim N is 2 here but 1 in feed "x"/);
    await expect(exe.run({ x: float32([1, 2]), y: int64([1, 2], [1, 2]) })).rejects.toThrow(/feed "y" has dtype int64, expected float32/);
    exe.dispose();
    await expect(exe.run({ x: float32([1, 2]), y: float32([1, 2]) })).rejects.toThrow(/disposed/);
  });
});
