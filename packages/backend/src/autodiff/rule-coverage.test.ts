import { describe, expect, it } from 'vitest';
import { OPS } from '../ir/ops.js';
import type { OpType } from '../ir/types.js';
import { gradientCases } from '../testing/conformance/gradients.js';
import { GRADIENT_RULES } from './rules/index.js';

describe('gradient rule coverage', () => {
  const differentiable = (Object.keys(OPS) as OpType[]).filter((op) => OPS[op].differentiable);
  const exercised = new Set(gradientCases().flatMap((c) => c.graph.nodes.map((n) => n.op)));

  it('has a rule for every differentiable op of the catalogue and none for the others', () => {
    expect(differentiable.filter((op) => !GRADIENT_RULES[op])).toEqual([]);
    expect((Object.keys(GRADIENT_RULES) as OpType[]).filter((op) => !OPS[op].differentiable)).toEqual([]);
  });

  it('has a gradient conformance case for every differentiable op', () => {
    expect(differentiable.filter((op) => !exercised.has(op))).toEqual([]);
  });
});
