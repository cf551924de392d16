/** Gradient rules of the reductions and of Softmax / LogSoftmax. */
import type { Value } from '../../ir/builder.js';
import { normalizeAxis } from '../../ir/shape.js';
import { dy0, input, type RuleContext, type RuleTable } from './rule.js';

type Reduce = 'ReduceSum' | 'ReduceMean' | 'ReduceMax';

/** The reduced axes, and a restore of reduced dims as size 1 (for the upstream gradient, or the output). */
function keptDims(c: RuleContext<Reduce>): { axes: number[]; g: Value; restore: (v: Value) => Value } {
  const x = input(c, 0);
  const rank = x.shape.length;
  const axes = (c.node.attrs.axes ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, rank, c.where)).sort((p, q) => p - q);
  const keep = c.node.attrs.keepdims ?? true;
  const restore = (v: Value): Value => (keep ? v : c.e.unsqueeze(v, axes));
  return { axes, g: restore(dy0(c)), restore };
}

function softmaxAxis(c: RuleContext<'Softmax' | 'LogSoftmax'>): number {
  return normalizeAxis(c.node.attrs.axis ?? -1, input(c, 0).shape.length, c.where);
}

export const reductionRules: RuleTable = {
  ReduceSum: (c) => {
    const { g } = keptDims(c);
    return [c.e.expandTo(g, input(c, 0).shape)];
  },
  ReduceMean: (c) => {
    const x = input(c, 0);
    const { axes, g } = keptDims(c);
    return [c.e.expandTo(c.e.div(g, c.e.count(x, axes)), x.shape)];
  },
  ReduceMax: (c) => {
    const x = input(c, 0);
    const { g, restore } = keptDims(c);
    const y = restore(c.outputs[0]);
    // Every position equal to the max gets the full gradient (the op catalogue's convention for ties).
    return [c.e.mask(c.e.op('Equal', [x, y], {}), g)];
  },
  Softmax: (c) => {
    const y = c.outputs[0];
    const g = dy0(c);
    // dX = Y ⊙ (dY − Σ_axis dY ⊙ Y)
    return [c.e.mul(y, c.e.sub(g, c.e.reduceSum(c.e.mul(g, y), [softmaxAxis(c)], true)))];
  },
  LogSoftmax: (c) => {
    const g = dy0(c);
    // dX = dY − softmax(X) ⊙ Σ_axis dY, with softmax(X) = exp(Y).
    const softmax = c.e.op('Exp', [c.outputs[0]], {});
    return [c.e.sub(g, c.e.mul(softmax, c.e.reduceSum(g, [softmaxAxis(c)], true)))];
  },
};
