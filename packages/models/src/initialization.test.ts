import { expectClose } from '@rank-collapse/backend/testing';
import { describe, expect, it } from 'vitest';
import { buildMlp } from './build-mlp.js';
import { weightStd } from './initialization.js';

function moments(data: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / data.length;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i] - mean) ** 2;
  return { mean, variance: sq / data.length };
}

describe('initialization', () => {
  it('draws He weights with variance 2/fan_in and zero biases', () => {
    const model = buildMlp({ inputShape: [784], numClasses: 10, hidden: [512, 256] });
    const params = model.initialParams(1);
    for (const [name, fanIn] of [['dense1.weight', 784], ['dense2.weight', 512], ['dense3.weight', 256]] as const) {
      const { mean, variance } = moments(params.get(name)!.data as Float32Array);
      const n = params.get(name)!.data.length;
      // Sample variance of n normals has relative standard error √(2/n): allow 5 of them.
      expect(Math.abs(variance / (2 / fanIn) - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(2 / fanIn / n));
    }
    expect(Array.from(params.get('dense1.bias')!.data as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it('uses Xavier for tanh by default', () => {
    const model = buildMlp({ inputShape: [400], numClasses: 10, hidden: [300], activation: 'tanh' });
    const w = model.initialParams(3).get('dense1.weight')!.data as Float32Array;
    expect(Math.abs(moments(w).variance / (2 / 700) - 1)).toBeLessThan(5 * Math.sqrt(2 / w.length));
    expectClose(weightStd('xavier', 'tanh', 400, 300), Math.sqrt(2 / 700), { atol: 0, rtol: 1e-15 }, 'weightStd(xavier, tanh, 400, 300)');
    expectClose(weightStd('he', 'leaky-relu', 100, 1), Math.sqrt(2 / 1.0001 / 100), { atol: 0, rtol: 1e-15 }, 'weightStd(he, leaky-relu, 100, 1)');
  });

  it('is seeded: same seed same values, another seed other values, each param independent of the others', () => {
    const a = buildMlp({ inputShape: [20], numClasses: 3, hidden: [16] });
    const b = buildMlp({ inputShape: [20], numClasses: 3, hidden: [16, 8] });
    const pa = a.initialParams('s');
    expect(pa.get('dense1.weight')!.data).toEqual(a.initialParams('s').get('dense1.weight')!.data);
    expect(pa.get('dense1.weight')!.data).not.toEqual(a.initialParams('t').get('dense1.weight')!.data);
    // dense1 has the same name and shape in both models, so the same initial values.
    expect(b.initialParams('s').get('dense1.weight')!.data).toEqual(pa.get('dense1.weight')!.data);
    expect(pa.get('dense1.weight')!.data).toBeInstanceOf(Float32Array);
  });
});

describe("init: 'torch'", () => {
  it('draws W and b from U(−1/√fan_in, 1/√fan_in), as nn.Linear and nn.Conv2d do', () => {
    const model = buildMlp({ inputShape: [300], numClasses: 10, hidden: [200], init: 'torch' });
    const params = model.initialParams(4);
    for (const [name, fanIn] of [['dense1.weight', 300], ['dense1.bias', 300], ['dense2.weight', 200], ['dense2.bias', 200]] as const) {
      const data = params.get(name)!.data as Float32Array;
      const bound = 1 / Math.sqrt(fanIn);
      const { mean, variance } = moments(data);
      // U(−b, b): variance b²/3 (PyTorch's kaiming_uniform with a = √5: gain² = 1/3, bound = gain·√(3/fan_in)).
      expect(Math.max(...Array.from(data, Math.abs)), name).toBeLessThanOrEqual(bound);
      expect(Math.max(...Array.from(data, Math.abs)), name).toBeGreaterThan(0.9 * bound);
      // Var of the sample variance of U(−b, b) is (4/45)b⁴/n: allow 5 standard errors.
      const n = data.length;
      expect(Math.abs(variance - bound ** 2 / 3), name).toBeLessThan(5 * Math.sqrt(4 / 45 / n) * bound ** 2 + 1e-12);
      expect(Math.abs(mean), name).toBeLessThan(5 * bound / Math.sqrt(3 * n));
    }
  });

  it('uses fan_in = C_in·k·k for convolutions and leaves batch norm at scale 1, shift 0', async () => {
    const { buildCnn } = await import('./build-cnn.js');
    const model = buildCnn({ inputShape: [3, 8, 8], numClasses: 4, blocks: [{ channels: [6] }], hidden: [], init: 'torch', batchNorm: true });
    const params = model.initialParams(2);
    const w = params.get('conv1.weight')!.data as Float32Array;
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(27));
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.8 / Math.sqrt(27));
    expect(Array.from(params.get('conv1.norm.scale')!.data as Float32Array).every((v) => v === 1)).toBe(true);
  });
});
