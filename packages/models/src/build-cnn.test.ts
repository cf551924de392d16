import { describe, expect, it } from 'vitest';
import { buildCnn } from './build-cnn.js';

describe('buildCnn', () => {
  const config = { inputShape: [1, 28, 28], numClasses: 10, blocks: [{ channels: [8] }, { channels: [16, 16], pool: 'avg' as const }], hidden: [32] };

  it('builds conv blocks, pooling and a dense head with shapes, taps and param count', () => {
    const model = buildCnn(config);
    const v = (name: string) => model.graph.values.get(name)?.shape;
    expect(v('conv1.z')).toEqual(['N', 8, 28, 28]);
    expect(v('block1.pool')).toEqual(['N', 8, 14, 14]);
    expect(v('conv3.z')).toEqual(['N', 16, 14, 14]);
    expect(v('flatten')).toEqual(['N', 16 * 7 * 7]);
    expect(v('logits')).toEqual(['N', 10]);
    expect(model.paramCount).toBe(8 * 9 + 8 + (16 * 8 * 9 + 16) + (16 * 16 * 9 + 16) + (784 * 32 + 32) + (32 * 10 + 10));
    expect(model.layers.map((l) => [l.name, l.kind, l.input, l.matrixShape])).toEqual([
      ['conv1', 'conv', 'x', [8, 9]],
      ['conv2', 'conv', 'block1.pool', [16, 72]],
      ['conv3', 'conv', 'conv2.h', [16, 144]],
      ['dense1', 'dense', 'flatten', [32, 784]],
      ['dense2', 'dense', 'dense1.h', [10, 32]],
    ]);
  });

  it('with batch norm: no conv biases, running stats excluded from the count, a training graph with updated stats', () => {
    const model = buildCnn({ ...config, batchNorm: true });
    expect(model.paramCount).toBe(8 * 9 + 16 + 16 * 8 * 9 + 32 + 16 * 16 * 9 + 32 + (784 * 32 + 32) + (32 * 10 + 10));
    expect(model.layers.filter((l) => l.kind === 'conv').every((l) => l.bias === undefined)).toBe(true);
    expect(model.runningStats['conv1.norm.running_mean']).toBe('conv1.norm.running_mean.next');
    expect(Object.keys(model.runningStats)).toHaveLength(6);
    expect(model.trainingGraph.outputs).toEqual(['logits', ...Object.values(model.runningStats)]);
    expect(model.trainingGraph.params.map((p) => p.name)).toEqual(model.graph.params.map((p) => p.name));
    const bn = model.trainingGraph.nodes.find((n) => n.op === 'BatchNormalization')!;
    expect(bn.attrs).toMatchObject({ training: true });
    expect(model.graph.params.find((p) => p.name === 'conv2.norm.running_var')?.role).toBe('running-var');
    const init = model.initialParams(1);
    expect(Array.from(init.get('conv2.norm.running_var')!.data as Float32Array)).toEqual(new Array(16).fill(1));
    expect(Array.from(init.get('conv2.norm.scale')!.data as Float32Array)).toEqual(new Array(16).fill(1));
  });
});
