/** Executables of one graph share one session, which lives until the last of them is disposed. */
import { GraphBuilder, float32, type HostTensor } from '@rank-collapse/backend';
import * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';

function doubler() {
  const g = new GraphBuilder('double');
  const x = g.input('x', 'float32', ['N']);
  g.output(g.add(x, x), 'y');
  return g.build();
}

describe('session cache', () => {
  it('creates one session per graph, shared until every executable is disposed', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    try {
      const backend = createOnnxBackend({ ort });
      const graph = doubler();
      const [a, b] = await Promise.all([backend.compile(graph), backend.compile(graph)]);
      expect(create).toHaveBeenCalledTimes(1);
      a.dispose();
      a.dispose();
      expect(Array.from(((await b.run({ x: float32([2], [1, 2]) })).y as HostTensor).data as Float32Array)).toEqual([2, 4]);
      await expect(a.run({ x: float32([2], [1, 2]) })).rejects.toThrow(/disposed/);
      b.dispose();
      const c = await backend.compile(graph);
      expect(create).toHaveBeenCalledTimes(2);
      await backend.compile(doubler());
      expect(create).toHaveBeenCalledTimes(3);
      await backend.compile(graph, { hints: { staticDims: { N: 2 } } });
      expect(create).toHaveBeenCalledTimes(4);
      expect(Array.from(((await c.run({ x: float32([1], [5]) })).y as HostTensor).data as Float32Array)).toEqual([10]);
    } finally {
      create.mockRestore();
    }
  });
});
