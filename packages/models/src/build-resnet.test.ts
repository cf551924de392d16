import { describe, expect, it } from 'vitest';
import { buildResnet } from './build-resnet.js';

describe('buildResnet', () => {
  const config = { inputShape: [1, 8, 8], numClasses: 10, stem: 4, stages: [{ channels: 4 }, { channels: 8, stride: 2 as const }] };

  it('builds basic blocks with identity and projection shortcuts', () => {
    const model = buildResnet(config);
    const v = (name: string) => model.graph.values.get(name)?.shape;
    expect(v('stage1.block1.sum')).toEqual(['N', 4, 8, 8]);
    expect(v('stage2.block1.conv1.z')).toEqual(['N', 8, 4, 4]);
    expect(v('stage2.block1.shortcut.z')).toEqual(['N', 8, 4, 4]);
    expect(v('pool')).toEqual(['N', 8, 1, 1]);
    expect(v('logits')).toEqual(['N', 10]);
    expect(model.graph.values.has('stage1.block1.shortcut.z')).toBe(false);
    const bn = (c: number) => 2 * c;
    expect(model.paramCount).toBe(
      4 * 9 + bn(4) + 2 * (4 * 4 * 9 + bn(4)) + (8 * 4 * 9 + bn(8)) + (8 * 8 * 9 + bn(8)) + (8 * 4 + bn(8)) + (8 * 10 + 10),
    );
    expect(model.layers.map((l) => [l.name, l.matrixShape])).toEqual([
      ['stem', [4, 9]],
      ['stage1.block1.conv1', [4, 36]],
      ['stage1.block1.conv2', [4, 36]],
      ['stage2.block1.conv1', [8, 36]],
      ['stage2.block1.conv2', [8, 72]],
      ['stage2.block1.shortcut', [8, 4]],
      ['head', [10, 8]],
    ]);
    expect(Object.keys(model.runningStats)).toHaveLength(12);
  });

  it('without batch norm has conv biases and one graph', () => {
    const model = buildResnet({ ...config, batchNorm: false });
    expect(model.trainingGraph).toBe(model.graph);
    expect(model.layers.every((l) => l.bias !== undefined)).toBe(true);
    expect(model.graph.nodes.some((n) => n.op === 'BatchNormalization')).toBe(false);
  });
});
