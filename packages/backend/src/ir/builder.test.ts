import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors.js';
import { GraphBuilder } from './builder.js';

describe('GraphBuilder shape inference', () => {
  it('infers an MLP layer with a symbolic batch', () => {
    const g = new GraphBuilder('mlp');
    const x = g.input('x', 'float32', ['N', 1, 28, 28]);
    const flat = g.reshape(x, [-1, 784]);
    const w = g.param('W1', [512, 784], 'weight');
    const b = g.param('b1', [512], 'bias');
    const z = g.gemm(flat, w, b, { transB: true }, { name: 'z1' });
    const h = g.relu(z, { name: 'h1' });
    g.output(h);
    const graph = g.build();
    expect(flat.shape).toEqual(['N', 784]);
    expect(graph.values.get('z1')?.shape).toEqual(['N', 512]);
    expect(graph.outputs).toEqual(['h1']);
  });

  it('infers convolution and pooling output sizes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 3, 32, 32]);
    const w = g.param('k', [16, 3, 3, 3], 'weight');
    const y = g.conv(x, w, undefined, { strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(y.shape).toEqual(['N', 16, 16, 16]);
    expect(g.maxPool(y, { kernelShape: [2, 2], strides: [2, 2] }).shape).toEqual(['N', 16, 8, 8]);
    const t = g.convTranspose(y, g.param('kt', [16, 3, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] });
    expect(t.shape).toEqual(['N', 3, 32, 32]);
  });

  it('names the op, node and shapes when shapes do not fit', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float32', [4, 3]);
    const b = g.input('b', 'float32', [4, 3]);
    expect(() => g.matmul(a, b, {}, { name: 'mm' })).toThrow(GraphError);
    expect(() => g.matmul(a, b, {}, { name: 'mm2' })).toThrow(/MatMul node "mm2": inner dims differ.*\[4, 3\]/);
    expect(() => g.add(a, g.input('c', 'float32', [5]))).toThrow(/do not broadcast/);
    expect(() => g.reshape(a, [5, -1])).toThrow(/cannot reshape/);
  });

  it('rejects duplicate names and unknown values', () => {
    const g = new GraphBuilder('dup');
    g.input('x', 'float32', [2]);
    expect(() => g.input('x', 'float32', [2])).toThrow(/used twice/);
    expect(() => g.relu({ name: 'nope', dtype: 'float32', shape: [2] })).toThrow(/not a value of graph "dup"/);
  });
});
