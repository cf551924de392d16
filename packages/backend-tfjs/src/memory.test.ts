/** No tensor leaks: resident params survive runs, every intermediate of a run is freed. */
import { describe, expect, it } from 'vitest';
import type { ResidentTensor } from '@rank-collapse/backend';
import { mlpBatch, mlpInitialParams, mlpTrainStep } from './__fixtures__/mlp-train-step.js';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

const { tf } = await loadTfjs({ prefer: ['wasm', 'cpu'] });

describe('memory', () => {
  it('keeps tf.memory().numTensors stable over 100 training steps with resident params', async () => {
    const backend = createTfjsBackend({ tf });
    const { graph, next } = mlpTrainStep([20, 16, 16, 4]);
    const step = await backend.compile(graph);
    const initial = mlpInitialParams(graph, 'memory/params');
    let state: Record<string, ResidentTensor> = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, backend.upload(v)]));
    const keep = Object.values(next);
    const batch = mlpBatch(20, 4, 8, 'memory/batch');
    const counts: number[] = [];
    const losses: number[] = [];
    for (let s = 0; s < 100; s++) {
      const out = await step.run({ ...batch, ...state }, { fetch: ['loss', ...keep], keepResident: keep });
      for (const r of Object.values(state)) backend.dispose(r);
      state = Object.fromEntries(Object.entries(next).map(([param, output]) => [param, out[output] as ResidentTensor]));
      losses.push((out.loss as { data: Float32Array }).data[0]);
      counts.push(tf.memory().numTensors);
    }
    // The state (params + velocities) and the compiled constants are all that stays alive.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[99]);
    // Same batch every step: training must fit it (the runs really computed something).
    expect(losses[99]).toBeLessThan(losses[0] * 0.5);
    for (const r of Object.values(state)) backend.dispose(r);
    step.dispose();
    expect(tf.memory().numTensors).toBe(counts[0] - keep.length - graph.nodes.filter((n) => n.op === 'Constant').length);
  });

  it('frees host-returned outputs, and a failing run leaves nothing behind', async () => {
    const backend = createTfjsBackend({ tf });
    const { graph } = mlpTrainStep([6, 5, 3]);
    const step = await backend.compile(graph);
    const params = mlpInitialParams(graph, 'memory/host');
    const before = tf.memory().numTensors;
    await step.run({ ...mlpBatch(6, 3, 4, 'memory/host-batch'), ...params });
    expect(tf.memory().numTensors).toBe(before);
    const wrong = { ...params, W1: { dtype: 'float32' as const, shape: [5, 6], data: new Float32Array(30) }, x: { dtype: 'float32' as const, shape: [4, 6], data: new Float32Array(24) } };
    await expect(step.run({ ...wrong, y: { dtype: 'float32', shape: [3, 3], data: new Float32Array(9) } })).rejects.toThrow(/dim N is 3 here but 4/);
    expect(tf.memory().numTensors).toBe(before);
    step.dispose();
  });
});
