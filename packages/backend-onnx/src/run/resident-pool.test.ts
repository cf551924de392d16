/** Recycled resident buffers: reused as outputs after dispose, never while still held. */
import { GraphBuilder, float32, type Feed } from '@rank-collapse/backend';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { OnnxResidentTensor } from './onnx-resident.js';

function accumulator() {
  const g = new GraphBuilder('accumulate');
  const x = g.input('x', 'float32', ['N', 3]);
  const p = g.param('p', [2, 3]);
  g.output(g.add(p, g.reduceSum(x, [0], true)), 'next');
  return g.build();
}

describe('resident buffer recycling', () => {
  for (const recycle of [true, false]) {
    it(`keeps values right over steps that dispose the previous state (recycling ${recycle ? 'on' : 'off'})`, async () => {
      const backend = createOnnxBackend({ ort, recycleResidentBuffers: recycle });
      const exe = await backend.compile(accumulator());
      let state: Feed = backend.upload(float32([2, 3], [0, 1, 2, 3, 4, 5]));
      const buffers = new Set<ArrayBufferLike>();
      for (let step = 1; step <= 4; step++) {
        const x = float32([2, 3], [1, 1, 1, 1, 1, step]);
        const next = (await exe.run({ x, p: state }, { keepResident: ['next'] })).next as OnnxResidentTensor;
        buffers.add((next.tensor().data as Float32Array).buffer);
        backend.dispose(state as OnnxResidentTensor);
        state = next;
      }
      // Σ over steps of the column sums [2, 2, 1 + step] added to every row.
      expect(Array.from((await backend.download(state)).data as Float32Array)).toEqual([8, 9, 16, 11, 12, 19]);
      // With recycling, steps alternate between two buffers (the uploaded one is reused from step 2 on).
      if (recycle) expect(buffers.size).toBe(2);
      else expect(buffers.size).toBe(4);
      exe.dispose();
      await backend.close?.();
    });
  }

  it('never hands out a buffer that is still held', async () => {
    const backend = createOnnxBackend({ ort });
    const exe = await backend.compile(accumulator());
    const p = backend.upload(float32([2, 3], [0, 0, 0, 0, 0, 0]));
    const x = float32([1, 3], [1, 2, 3]);
    const a = (await exe.run({ x, p }, { keepResident: ['next'] })).next as OnnxResidentTensor;
    const b = (await exe.run({ x, p: a }, { keepResident: ['next'] })).next as OnnxResidentTensor;
    expect(b.tensor().data).not.toBe(a.tensor().data);
    expect(Array.from((await backend.download(a)).data as Float32Array)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(Array.from((await backend.download(b)).data as Float32Array)).toEqual([2, 4, 6, 2, 4, 6]);
    exe.dispose();
  });
});
