/** Gradient rule of BatchNormalization, in inference mode (linear in X) and training mode (batch statistics). */
import { GraphError } from '../../errors.js';
import type { Value } from '../../ir/builder.js';
import { dy0, input, type RuleTable } from './rule.js';

export const batchNormalizationRules: RuleTable = {
  BatchNormalization: (c) => {
    const [x, scale, , mean, variance] = [0, 1, 2, 3, 4].map((i) => input(c, i));
    const { epsilon = 1e-5, training = false } = c.node.attrs;
    if (c.dy[1] || c.dy[2]) {
      throw new GraphError(`${c.where}: gradients through the running mean/variance outputs are not supported (they are statistics for inference, not part of a loss)`);
    }
    const g = dy0(c);
    const e = c.e;
    const rank = x.shape.length;
    const others = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== 1);
    // [C] → [1, C, 1, ..] so per-channel values broadcast against X.
    const perChannel = (v: Value): Value => e.op('Reshape', [v], { shape: [1, -1, ...new Array<number>(rank - 2).fill(1)] });
    const sumOthers = (v: Value): Value => e.reduceSum(v, others, false);

    let centered: Value;
    let invStd: Value;
    if (training) {
      // Batch statistics over all dims but C (biased variance), recomputed from X.
      centered = e.sub(x, e.reduceMean(x, others, true));
      invStd = e.div(e.scalar(1), e.op('Sqrt', [e.add(e.reduceMean(e.mul(centered, centered), others, true), e.scalar(epsilon))], {}));
    } else {
      centered = e.sub(x, perChannel(mean));
      invStd = perChannel(e.div(e.scalar(1), e.op('Sqrt', [e.add(variance, e.scalar(epsilon))], {})));
    }
    const normalized = e.mul(centered, invStd);
    const wantScale = c.needs[1] || (!training && c.needs[4]);
    const dScale = wantScale ? sumOthers(e.mul(g, normalized)) : undefined;
    const dBias = c.needs[2] || (!training && c.needs[3]) ? sumOthers(g) : undefined;
    const gainX = e.mul(perChannel(scale), invStd);

    let dx: Value | undefined;
    if (c.needs[0]) {
      dx = training
        ? // dX = scale·invStd·(dY − mean(dY) − x̂·mean(dY·x̂)) over the batch-statistics axes.
          e.mul(gainX, e.sub(e.sub(g, e.reduceMean(g, others, true)), e.mul(normalized, e.reduceMean(e.mul(g, normalized), others, true))))
        : e.mul(g, gainX);
    }
    let dMean: Value | undefined;
    let dVar: Value | undefined;
    if (!training) {
      const invStdC = e.op('Reshape', [invStd], { shape: [-1] });
      // Y = scale·(X − mean)·(var + ε)^(−1/2) + B: ∂/∂mean = −scale·invStd·ΣdY, ∂/∂var = −½·scale·invStd²·Σ dY·x̂.
      if (c.needs[3]) dMean = e.neg(e.mul(e.mul(dBias!, scale), invStdC));
      if (c.needs[4]) dVar = e.scale(e.mul(e.mul(dScale!, scale), e.mul(invStdC, invStdC)), -0.5);
    }
    return [dx, c.needs[1] ? dScale : undefined, c.needs[2] ? dBias : undefined, dMean, dVar];
  },
};
