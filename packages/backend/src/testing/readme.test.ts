import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradients } from '../autodiff/gradients.js';
import { float32 } from '../host-tensor.js';
import { GraphBuilder } from '../ir/builder.js';
import { OPS } from '../ir/ops.js';
import { expectClose } from './expect-close.js';
import { forwardCases } from './conformance/forward-cases.js';
import { createReferenceBackend } from './reference/reference-backend.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every op with its doc string verbatim', () => {
    for (const [op, spec] of Object.entries(OPS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| ${op} |`));
      expect(row, op).toBeDefined();
      expect(row!.endsWith(`| ${spec.doc.replace(/\|/g, '\\|')} |`), op).toBe(true);
    }
  });

  it('example computes the gradient it states', async () => {
    const g = new GraphBuilder('linear');
    const x = g.input('x', 'float32', ['N', 3]);
    const w = g.param('W', [2, 3], 'weight');
    g.output(g.reduceMean(g.gemm(x, w, undefined, { transB: true }), undefined, false), 'loss');
    const { graph, gradients: names } = gradients(g.build(), { of: 'loss', wrt: ['W'] });
    const backend = createReferenceBackend();
    const step = await backend.compile(graph);
    const out = await step.run({ x: float32([4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), W: float32([2, 3]) });
    const dW = await backend.download(out[names.W]);
    expectClose(dW, [2.75, 3.25, 3.75, 2.75, 3.25, 3.75], { atol: 1e-12, rtol: 1e-12 }, 'dW');
    expect(readme).toContain('[2.75, 3.25, 3.75]');
  });

  it('states the forward case count to within 10%', () => {
    const stated = Number(/about (\d+) cases/.exec(readme)?.[1]);
    expect(Math.abs(stated - forwardCases().length) / forwardCases().length).toBeLessThan(0.1);
  });
});
