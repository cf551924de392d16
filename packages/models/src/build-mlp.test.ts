import { describe, expect, it } from 'vitest';
import { buildMlp } from './build-mlp.js';
import { buildModel } from './build-model.js';

describe('buildMlp', () => {
  it('builds the 784-512-512-512-10 MLP with the documented names, shapes and param count', () => {
    const model = buildMlp({ inputShape: [1, 28, 28], numClasses: 10, hidden: [512, 512, 512] });
    expect(model.paramCount).toBe(784 * 512 + 512 + 2 * (512 * 512 + 512) + 512 * 10 + 10);
    expect(model.paramCount).toBe(932362);
    expect(model.graph.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['N', 1, 28, 28] }]);
    expect(model.graph.outputs).toEqual(['logits']);
    expect(model.graph.values.get('logits')).toEqual({ dtype: 'float32', shape: ['N', 10] });
    expect(model.trainingGraph).toBe(model.graph);
    expect(model.runningStats).toEqual({});
    expect(model.layers.map((l) => [l.name, l.weight, l.bias, l.input, l.preActivation, l.matrixShape])).toEqual([
      ['dense1', 'dense1.weight', 'dense1.bias', 'flatten', 'dense1.z', [512, 784]],
      ['dense2', 'dense2.weight', 'dense2.bias', 'dense1.h', 'dense2.z', [512, 512]],
      ['dense3', 'dense3.weight', 'dense3.bias', 'dense2.h', 'dense3.z', [512, 512]],
      ['dense4', 'dense4.weight', 'dense4.bias', 'dense3.h', 'dense4.z', [10, 512]],
    ]);
    expect(model.layers.every((l) => l.kind === 'dense' && l.weightLayout === 'out-in')).toBe(true);
    const params = model.initialParams(0);
    expect([...params.keys()]).toEqual(model.graph.params.map((p) => p.name));
    for (const p of model.graph.params) expect(params.get(p.name)!.shape).toEqual(p.shape);
  });

  it('drops biases on request and takes flat inputs as they are', () => {
    const model = buildModel({ kind: 'mlp', inputShape: [5], numClasses: 3, hidden: [4], bias: false, activation: 'leaky-relu' });
    expect(model.paramCount).toBe(5 * 4 + 4 * 3);
    expect(model.layers[0].input).toBe('x');
    expect(model.layers.every((l) => l.bias === undefined)).toBe(true);
    expect(model.graph.nodes.some((n) => n.op === 'LeakyRelu')).toBe(true);
  });
});
