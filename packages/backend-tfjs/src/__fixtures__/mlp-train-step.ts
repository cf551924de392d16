/**
 * A small MLP's SGD step as one IR graph (forward, softmax cross-entropy, autodiff backward, momentum update
 * with weight decay on weights), plus seeded params and batches: shared by the leak and agreement tests.
 */
import { GraphBuilder, createRng, gradients, type Graph, type HostTensor } from '@rank-collapse/backend';

export interface MlpTrainStep {
  readonly graph: Graph;
  /** State param → output holding its value after the step. */
  readonly next: Readonly<Record<string, string>>;
}

export function mlpTrainStep(layers: readonly number[], hyper = { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 }): MlpTrainStep {
  const g = new GraphBuilder('mlp-train-step');
  let h = g.input('x', 'float32', ['N', layers[0]]);
  for (let l = 1; l < layers.length; l++) {
    const w = g.param(`W${l}`, [layers[l], layers[l - 1]], 'weight');
    const b = g.param(`b${l}`, [layers[l]], 'bias');
    const z = g.gemm(h, w, b, { transB: true });
    h = l < layers.length - 1 ? g.relu(z) : z;
  }
  const y = g.input('y', 'float32', ['N', layers.at(-1)!]);
  const nll = g.neg(g.reduceSum(g.mul(y, g.logSoftmax(h)), [1], false));
  g.output(g.reduceMean(nll, undefined, false, { name: 'loss' }));
  const forward = g.build();
  const { graph, gradients: grads } = gradients(forward, { of: 'loss', wrt: forward.params.map((p) => p.name), outputs: false });
  const u = GraphBuilder.from(graph);
  const [eta, mu, lambda] = [u.scalar(hyper.lr), u.scalar(hyper.momentum), u.scalar(hyper.weightDecay)];
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

/** Seeded initial values of every param of the step (He-scaled weights, zero biases and velocities). */
export function mlpInitialParams(graph: Graph, seed: string): Record<string, HostTensor> {
  const rng = createRng(seed);
  const params: Record<string, HostTensor> = {};
  for (const p of graph.params) {
    const shape = p.shape as number[];
    const n = shape.reduce((a, d) => a * d, 1);
    const data = new Float32Array(n);
    if (p.role === 'weight') for (let i = 0; i < n; i++) data[i] = rng.normal() * Math.sqrt(2 / shape[1]);
    params[p.name] = { dtype: 'float32', shape, data };
  }
  return params;
}

/** Seeded batch: Gaussian inputs and one-hot labels. */
export function mlpBatch(inputs: number, classes: number, batch: number, seed: string): { x: HostTensor; y: HostTensor } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: batch * inputs }, () => rng.normal());
  const y = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) y[i * classes + rng.int(classes)] = 1;
  return { x: { dtype: 'float32', shape: [batch, inputs], data: x }, y: { dtype: 'float32', shape: [batch, classes], data: y } };
}
