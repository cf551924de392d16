import { GraphBuilder } from '@rank-collapse/backend';
import { describe, expect, it } from 'vitest';
import { findLayers } from './find-layers.js';

describe('findLayers', () => {
  it('finds MatMul (in-out) layers with a following bias Add, and Gemm layers in both layouts', () => {
    const g = new GraphBuilder('imported');
    const x = g.input('input', 'float32', ['N', 6]);
    const w1 = g.param('W1', [6, 4]); // TF/Keras kernel: [in, out]
    const b1 = g.param('b1', [4]);
    const z1 = g.add(g.matmul(x, w1, {}, { name: 'mm1' }), b1, { name: 'z1' });
    const h1 = g.relu(z1, { name: 'h1' });
    const w2 = g.param('W2', [4, 3]); // Gemm without transB: [in, out]
    const b2 = g.param('b2', [3]);
    const z2 = g.gemm(h1, w2, b2, {}, { name: 'z2' });
    const w3 = g.param('fc.weight', [2, 3]); // PyTorch Linear: [out, in], read through a Transpose
    const z3 = g.matmul(z2, g.transpose(w3, [1, 0], { name: 'wT' }), {}, { name: 'z3' });
    // Not layers: a product of two data values, and a param on the left.
    g.matmul(h1, g.transpose(h1, [1, 0]), {}, { name: 'gram' });
    g.output(z3);
    const layers = findLayers(g.build());
    expect(layers).toEqual([
      { name: 'mm1', kind: 'dense', weight: 'W1', bias: 'b1', input: 'input', preActivation: 'z1', weightLayout: 'in-out', matrixShape: [4, 6] },
      { name: 'z2', kind: 'dense', weight: 'W2', bias: 'b2', input: 'h1', preActivation: 'z2', weightLayout: 'in-out', matrixShape: [3, 4] },
      { name: 'fc', kind: 'dense', weight: 'fc.weight', input: 'z2', preActivation: 'z3', weightLayout: 'out-in', matrixShape: [2, 3] },
    ]);
  });

  it('reads Gemm with transB as out-in and conv kernels as C_out × C_in·kh·kw, with bias input or a following Add', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 3, 8, 8]);
    const k1 = g.param('k1', [4, 3, 3, 3]);
    const c1 = g.conv(x, k1, g.param('kb1', [4]), { pads: [1, 1, 1, 1] }, { name: 'c1' });
    const k2 = g.param('k2', [6, 2, 5, 5]); // grouped: C_in/group = 2
    const c2raw = g.conv(c1, k2, undefined, { group: 2 }, { name: 'c2' });
    const c2 = g.add(c2raw, g.param('kb2', [1, 6, 1, 1]), { name: 'c2b' });
    const flat = g.flatten(c2, 1, { name: 'flat' });
    const w = g.param('W', [5, 6 * 4 * 4]);
    const z = g.gemm(flat, w, undefined, { transB: true }, { name: 'logits' });
    g.output(z);
    const layers = findLayers(g.build());
    expect(layers.map((l) => [l.name, l.kind, l.weight, l.bias, l.input, l.preActivation, l.weightLayout, l.matrixShape])).toEqual([
      ['c1', 'conv', 'k1', 'kb1', 'x', 'c1', 'out-in', [4, 27]],
      ['c2', 'conv', 'k2', 'kb2', 'c1', 'c2b', 'out-in', [6, 50]],
      ['logits', 'dense', 'W', undefined, 'flat', 'logits', 'out-in', [5, 96]],
    ]);
  });

  it('returns nothing for a graph without layers and keeps names unique', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 2]);
    g.output(g.relu(x));
    expect(findLayers(g.build())).toEqual([]);
    const t = new GraphBuilder();
    const h = t.input('h', 'float32', ['N', 2]);
    const w = t.param('tied', [2, 2]);
    t.output(t.matmul(t.matmul(h, w, {}, { name: 'a' }), w, {}, { name: 'b' }));
    expect(findLayers(t.build()).map((l) => l.name)).toEqual(['a', 'b']);
    const s = new GraphBuilder();
    const hs = s.input('h', 'float32', ['N', 2]);
    const ws = s.param('same.weight', [2, 2]);
    s.output(s.matmul(s.matmul(hs, ws), ws));
    expect(findLayers(s.build()).map((l) => l.name)).toEqual(['same', 'same#2']);
  });
});
