import { describe, expect, it } from 'vitest';
import type { Backend, Executable } from '../../backend.js';
import { OPS } from '../../ir/ops.js';
import type { Graph, HostTensor, OpType } from '../../ir/types.js';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { checkForwardCase } from './check-forward-case.js';
import { forwardCases } from './forward-cases.js';
import { shapeErrorCases } from './shape-error-cases.js';

describe('forward cases', () => {
  const cases = forwardCases();

  it('cover every op of the catalogue, with unique names', () => {
    const used = new Set(cases.flatMap((c) => c.graph.nodes.map((n) => n.op)));
    const missing = (Object.keys(OPS) as OpType[]).filter((op) => !used.has(op));
    expect(missing).toEqual([]);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThan(150);
  });

  it('are deterministic and feed float32 data for float32 values', () => {
    const again = forwardCases();
    for (const [i, c] of cases.entries()) {
      for (const [name, t] of Object.entries(c.feeds)) {
        expect(Array.from(t.data as ArrayLike<number>)).toEqual(Array.from(again[i].feeds[name].data as ArrayLike<number>));
        if (t.dtype === 'float32') expect(t.data).toBeInstanceOf(Float32Array);
      }
    }
  });

  it('catch a backend whose op deviates from the reference', async () => {
    // A backend that adds 1e-3 to every float output of graphs containing Relu: the Relu case must fail, an Exp case pass.
    const reference = createReferenceBackend();
    const skewed: Backend = {
      ...reference,
      name: 'skewed',
      async compile(graph: Graph): Promise<Executable> {
        const exe = await reference.compile(graph);
        const skew = graph.nodes.some((n) => n.op === 'Relu');
        return {
          graph,
          dispose: () => exe.dispose(),
          async run(feeds, options) {
            const out = await exe.run(feeds, options);
            for (const v of Object.values(out)) {
              const t = v as HostTensor;
              if (skew && t.data instanceof Float64Array) for (let i = 0; i < t.data.length; i++) t.data[i] += 1e-3;
            }
            return out;
          },
        };
      },
    };
    const byName = (name: string) => cases.find((c) => c.name === name)!;
    await expect(checkForwardCase(skewed, reference, byName('Relu'))).rejects.toThrow(/Relu: output "Relu_0" of skewed vs the reference: 15 of 15 elements differ/);
    await checkForwardCase(skewed, reference, byName('Exp'));
  });
});

describe('shape error cases', () => {
  it('each builds nothing but a GraphError whose message matches', () => {
    for (const c of shapeErrorCases()) expect(c.build, c.name).toThrow(c.message);
  });
});
