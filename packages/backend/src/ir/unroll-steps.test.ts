import { describe, expect, it } from 'vitest';
import { float32 } from '../host-tensor.js';
import { createReferenceBackend } from '../testing/index.js';
import type { Feed } from '../backend.js';
import type { HostTensor } from './types.js';
import { GraphBuilder } from './builder.js';
import { stepValueName, unrollSteps } from './unroll-steps.js';

/** p' = p·s + Σ_rows x (s a param that is not carried), v' = v + p'; reports mean(x)·p'. */
function stepGraph() {
  const g = new GraphBuilder('step');
  const x = g.input('x', 'float32', ['N', 3]);
  const p = g.param('p', [3]);
  const v = g.param('v', [3]);
  const s = g.param('s', [3]);
  const p2 = g.add(g.mul(p, s), g.reduceSum(x, [0], false), { name: 'next/p' });
  const v2 = g.add(v, p2, { name: 'next/v' });
  g.output(g.reduceSum(g.mul(g.reduceMean(x, [0], false), p2), undefined, false, { name: 'report' }));
  g.output(p2);
  g.output(v2);
  return g.build();
}

const carry = { p: 'next/p', v: 'next/v' };

describe('unrollSteps', () => {
  it('computes what the same number of single runs does, with per-step inputs and outputs', async () => {
    const backend = createReferenceBackend();
    const one = await backend.compile(stepGraph());
    const fixed = { s: float32([3], [0.5, -1, 2]) };
    const unrolled = unrollSteps(stepGraph(), { steps: 3, carry });
    expect(unrolled.inputs.map((i) => i.name)).toEqual(['x#0', 'x#1', 'x#2']);
    expect(unrolled.outputs).toEqual(['report#0', 'report#1', 'report#2', 'next/p', 'next/v']);
    const three = await backend.compile(unrolled);
    // The steps of one run share the batch dim N.
    const equalSized = [float32([2, 3], [1, 2, 3, 4, 5, 6]), float32([2, 3], [-1, 0.5, 2, -1, 0.5, 2]), float32([2, 3], [0, 0, 1, 1, 0, 0])];
    let want: Record<string, Feed> = { p: float32([3], [1, 1, 1]), v: float32([3], [0, 0, 0]) };
    const wantReports: number[] = [];
    for (const x of equalSized) {
      const out = await one.run({ x, ...want, ...fixed });
      wantReports.push((out.report as HostTensor).data[0] as number);
      want = { p: out['next/p'], v: out['next/v'] };
    }
    const feeds: Record<string, Feed> = { p: float32([3], [1, 1, 1]), v: float32([3], [0, 0, 0]), ...fixed };
    equalSized.forEach((x, k) => (feeds[stepValueName('x', k)] = x));
    const got = await three.run(feeds);
    expect([0, 1, 2].map((k) => (got[`report#${k}`] as HostTensor).data[0])).toEqual(wantReports);
    expect((got['next/p'] as HostTensor).data).toEqual((want.p as HostTensor).data);
    expect((got['next/v'] as HostTensor).data).toEqual((want.v as HostTensor).data);
  });

  it('renames inputs and per-step outputs also for one step', () => {
    const g = unrollSteps(stepGraph(), { steps: 1, carry });
    expect(g.inputs.map((i) => i.name)).toEqual(['x#0']);
    expect(g.outputs).toEqual(['report#0', 'next/p', 'next/v']);
    expect(g.params.map((p) => p.name)).toEqual(['p', 'v', 's']);
  });

  it('names what is wrong with the carried state or the step count', () => {
    expect(() => unrollSteps(stepGraph(), { steps: 0, carry })).toThrow(/graph "step": steps must be a positive integer, got 0/);
    expect(() => unrollSteps(stepGraph(), { steps: 2, carry: { x: 'next/p' } })).toThrow(/carried state "x" → "next\/p": "x" is not a param/);
    expect(() => unrollSteps(stepGraph(), { steps: 2, carry: { p: 'nope' } })).toThrow(/"nope" is not an output/);
    expect(() => unrollSteps(stepGraph(), { steps: 2, carry: { p: 'report' } })).toThrow(/the output's type differs from the param's/);
  });
});
