/**
 * A ReLU MLP's whole SGD step as one IR graph, for backend tests: forward (Gemm with transB), softmax
 * cross-entropy on one-hot labels `y`, the autodiff backward pass, and PyTorch's SGD update with momentum
 * and weight decay on weights: V' = μ·V + G + λ·P, P' = P − η·V'. Params `W<l>`, `b<l>`, `velocity/<param>`;
 * inputs `x` [N, layers[0]] and `y` [N, K]; outputs `loss` and `next/<state param>`. The batch dim is symbolic.
 */
import { gradients } from '../../autodiff/gradients.js';
import { GraphBuilder } from '../../ir/builder.js';
import type { Graph } from '../../ir/types.js';

export interface MlpTrainStep {
  readonly graph: Graph;
  /** State param (weights, biases, velocities) → the output holding its value after the step. */
  readonly next: Readonly<Record<string, string>>;
}

export interface SgdHyperparameters {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

export function mlpTrainStepGraph(layers: readonly number[], hyper: SgdHyperparameters): MlpTrainStep {
  const g = new GraphBuilder('mlp-train-step');
  let h = g.input('x', 'float32', ['N', layers[0]]);
  const y = g.input('y', 'float32', ['N', layers[layers.length - 1]]);
  for (let l = 1; l < layers.length; l++) {
    const w = g.param(`W${l}`, [layers[l], layers[l - 1]], 'weight');
    const b = g.param(`b${l}`, [layers[l]], 'bias');
    const z = g.gemm(h, w, b, { transB: true }, { name: `z${l}` });
    h = l < layers.length - 1 ? g.relu(z, { name: `h${l}` }) : z;
  }
  const nll = g.neg(g.reduceSum(g.mul(y, g.logSoftmax(h)), [1], false));
  g.output(g.reduceMean(nll, undefined, false, { name: 'loss' }));
  const forward = g.build();

  const { graph, gradients: grads } = gradients(forward, { of: 'loss', wrt: forward.params.map((p) => p.name), outputs: false });
  const u = GraphBuilder.from(graph);
  const eta = u.scalar(hyper.lr, { name: 'sgd/lr' });
  const mu = u.scalar(hyper.momentum, { name: 'sgd/momentum' });
  const lambda = u.scalar(hyper.weightDecay, { name: 'sgd/weight-decay' });
  const next: Record<string, string> = {};
  for (const p of forward.params) {
    const value = u.value(p.name);
    const velocity = u.param(`velocity/${p.name}`, p.shape as number[], 'other');
    let step = u.value(grads[p.name]);
    if (p.role === 'weight') step = u.add(step, u.mul(lambda, value));
    const v2 = u.add(u.mul(mu, velocity), step, { name: `next/velocity/${p.name}` });
    const p2 = u.sub(value, u.mul(eta, v2), { name: `next/${p.name}` });
    u.output(v2);
    u.output(p2);
    next[p.name] = p2.name;
    next[velocity.name] = v2.name;
  }
  return { graph: u.build(), next };
}
