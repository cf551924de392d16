/** Run workers: parallel runs agree with the calling-thread backend; resident params are re-sent after dispose. */
import { GraphBuilder, float32, type HostTensor } from '@rank-collapse/backend';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../../create-onnx-backend.js';

function dense() {
  const g = new GraphBuilder('dense');
  const x = g.input('x', 'float32', ['N', 3]);
  const w = g.param('W', [2, 3], 'weight');
  g.output(g.relu(g.gemm(x, w, undefined, { transB: true })), 'y');
  return g.build();
}

describe('run workers', () => {
  it('run concurrent requests like the calling thread does, and see a param replaced after dispose', async () => {
    const inThread = createOnnxBackend({ ort });
    const pooled = createOnnxBackend({ ort, runWorkers: 2 });
    try {
      const [a, b] = [await inThread.compile(dense()), await pooled.compile(dense())];
      const weights = float32([2, 3], [1, -2, 0.5, 0.25, 1, -1]);
      const [wa, wb] = [inThread.upload(weights), pooled.upload(weights)];
      const batches = Array.from({ length: 6 }, (_, k) => float32([4, 3], Array.from({ length: 12 }, (_, i) => Math.sin(i + 3 * k))));
      const want = await Promise.all(batches.map(async (x) => (await a.run({ x, W: wa })).y as HostTensor));
      const got = await Promise.all(batches.map(async (x) => (await b.run({ x, W: wb })).y as HostTensor));
      got.forEach((t, k) => expect(Array.from(t.data), `batch ${k}`).toEqual(Array.from(want[k].data)));

      // A new resident after dispose must reach the workers (not the cached copy of the old one).
      pooled.dispose(wb);
      const doubled = pooled.upload(float32([2, 3], [2, -4, 1, 0.5, 2, -2]));
      const again = await Promise.all(batches.map(async (x) => (await b.run({ x, W: doubled })).y as HostTensor));
      again.forEach((t, k) => expect(Array.from(t.data), `batch ${k}, doubled`).toEqual(Array.from(want[k].data, (v) => 2 * v)));

      // Resident outputs come back as tensors of this backend, usable as feeds.
      const kept = await b.run({ x: batches[0], W: doubled }, { keepResident: ['y'] });
      expect(Array.from((await pooled.download(kept.y)).data)).toEqual(Array.from(want[0].data, (v) => 2 * v));
      expect(pooled.device).toMatch(/2 run workers of 1 thread/);
      a.dispose();
      b.dispose();
    } finally {
      await inThread.close?.();
      await pooled.close?.();
    }
  });
});
