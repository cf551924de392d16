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
