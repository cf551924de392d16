/**
 * Chains that keep values in NHWC between conv/pool ops (elementwise ops, batch norm, transposes and
 * gradients consuming NHWC values), checked against the float64 reference backend.
 */
import { describe, it } from 'vitest';
import { GraphBuilder, createRng, gradients, type HostTensor, type Value } from '@rank-collapse/backend';
import { checkForwardCase, createReferenceBackend } from '@rank-collapse/backend/testing';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

const { tf } = await loadTfjs({ prefer: ['wasm', 'cpu'] });
const backend = createTfjsBackend({ tf });
const oracle = createReferenceBackend();

/** Builds a case whose inputs and params are seeded normals. */
function layoutCase(name: string, body: (g: GraphBuilder, input: (n: string, shape: number[], positive?: boolean) => Value) => Value[]) {
  const g = new GraphBuilder(name.replace(/\W+/g, '_'));
  const rng = createRng(`layout/${name}`);
  const feeds: Record<string, HostTensor> = {};
  const input = (n: string, shape: number[], positive = false) => {
    const data = Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => (positive ? 0.5 + rng.uniform() : rng.normal()));
    feeds[n] = { dtype: 'float32', shape, data };
    return g.input(n, 'float32', shape);
  };
  for (const out of body(g, input)) g.output(out);
  return { name, graph: g.build(), feeds };
}

const cases = [
  layoutCase('conv → bias [1,C,1,1] → relu → max pool → transpose', (g, input) => {
    const z = g.conv(input('x', [2, 3, 6, 6]), input('w', [4, 3, 3, 3]), undefined, { pads: [1, 1, 1, 1] });
    const h = g.relu(g.add(z, input('b', [1, 4, 1, 1])));
    const p = g.maxPool(h, { kernelShape: [2, 2], strides: [2, 2] });
    return [p, g.transpose(p, [0, 2, 1, 3]), g.transpose(p)];
  }),
  layoutCase('conv → batch norm training → global average pool → flatten', (g, input) => {
    const z = g.conv(input('x', [3, 2, 5, 5]), input('w', [4, 2, 3, 3]), input('b', [4]));
    const [y, mean, variance] = g.batchNormTraining(z, input('s', [4]), input('t', [4]), input('m', [4]), input('v', [4], true));
    return [g.flatten(g.globalAveragePool(y)), mean, variance];
  }),
  layoutCase('NHWC value added to an NCHW value, compared, selected, reduced', (g, input) => {
    const z = g.conv(input('x', [1, 2, 4, 4]), input('w', [3, 2, 1, 1]));
    const other = input('o', [1, 3, 4, 4]);
    const s = g.add(other, z);
    const picked = g.where(g.greater(z, other), z, s);
    return [picked, g.reduceSum(picked, [1, 3], false), g.reshape(s, [1, -1])];
  }),
  layoutCase('conv → average pool → conv transpose → inference batch norm', (g, input) => {
    const z = g.conv(input('x', [2, 2, 6, 6]), input('w', [4, 2, 3, 3]), undefined, { strides: [1, 1], pads: [1, 1, 1, 1] });
    const a = g.averagePool(z, { kernelShape: [2, 2], strides: [2, 2] });
    const t = g.convTranspose(a, input('wt', [4, 3, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 0, 0] });
    return [g.batchNorm(t, input('s', [3]), input('b', [3]), input('m', [3]), input('v', [3], true))];
  }),
  layoutCase('depthwise conv with asymmetric pads, then grouped conv with stride and dilation', (g, input) => {
    const d = g.conv(input('x', [2, 3, 7, 7]), input('w', [6, 1, 3, 3]), undefined, { group: 3, pads: [1, 0, 2, 1] });
    return [g.conv(g.relu(d), input('w2', [4, 3, 2, 2]), input('b2', [4]), { group: 2, strides: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1] })];
  }),
  (() => {
    // Autodiff of a small CNN: gradient graphs mix Conv/ConvTranspose (NHWC) with Transpose, Reduce and Reshape.
    const c = layoutCase('gradients of a CNN loss', (g, input) => {
      const h = g.relu(g.conv(input('x', [2, 1, 6, 6]), input('k1', [3, 1, 3, 3]), input('c1', [3]), { pads: [1, 1, 1, 1] }));
      const h2 = g.relu(g.conv(h, input('k2', [4, 3, 3, 3]), undefined, { strides: [2, 2] }));
      const p = g.averagePool(h2, { kernelShape: [2, 2], strides: [1, 1] });
      return [g.reduceMean(g.mul(p, p), undefined, false, { name: 'loss' })];
    });
    const { graph } = gradients(c.graph, { of: 'loss', wrt: ['x', 'k1', 'c1', 'k2'] });
    return { ...c, graph };
  })(),
];

describe('NHWC layout tracking', () => {
  for (const c of cases) it(c.name, () => checkForwardCase(backend, oracle, c, { atol: 1e-5, rtol: 1e-4 }));
});
