import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { float32 } from '../../host-tensor.js';
import { GraphBuilder } from '../../ir/builder.js';
import type { OpAttrs, OpType } from '../../ir/types.js';
import { expectClose } from '../expect-close.js';
import { runOnce } from '../run-once.js';
import { createReferenceBackend } from './reference-backend.js';

/** Produced by __fixtures__/torch-reference.py (PyTorch in float64 on float32-representable inputs). */
interface Fixture {
  readonly generator: string;
  readonly cases: readonly {
    readonly op: OpType;
    readonly attrs: OpAttrs[OpType];
    readonly inputs: readonly { shape: number[]; data: number[] }[];
    readonly outputs: readonly { shape: number[]; data: number[] }[];
  }[];
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/torch-reference.json', import.meta.url), 'utf8')) as Fixture;

describe(`reference backend vs ${fixture.generator} (float64)`, () => {
  const backend = createReferenceBackend();
  it.each(fixture.cases.map((c) => [`${c.op} ${JSON.stringify(c.attrs)}`, c] as const))('%s', async (_name, c) => {
    const g = new GraphBuilder('torch');
    const inputs = c.inputs.map((t, i) => g.input(`in${i}`, 'float32', t.shape));
    const outputs = g.node(c.op, inputs, c.attrs);
    outputs.forEach((v, i) => g.output(v, `out${i}`));
    const feeds = Object.fromEntries(c.inputs.map((t, i) => [`in${i}`, float32(t.shape, t.data)]));
    // The inputs were float32 values to begin with: feeding them through Float32Array must not change them.
    c.inputs.forEach((t, i) => expect(Array.from(feeds[`in${i}`].data as Float32Array)).toEqual(t.data));
    const result = await runOnce(backend, g.build(), feeds);
    c.outputs.forEach((t, i) => {
      expect(result[`out${i}`].shape).toEqual(t.shape);
      expectClose(result[`out${i}`], t.data, { atol: 1e-12, rtol: 1e-10 }, `${c.op} output ${i}`);
    });
  });
});
