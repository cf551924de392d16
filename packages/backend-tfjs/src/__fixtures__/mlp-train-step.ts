/**
 * A small MLP's SGD step as one IR graph (forward, softmax cross-entropy, autodiff backward, momentum update
 * with weight decay on weights), plus seeded params and batches: shared by the leak and agreement tests.
 */
import { createRng, type Graph, type HostTensor } from '@rank-collapse/backend';
import { mlpTrainStepGraph, type MlpTrainStep } from '@rank-collapse/backend/testing';

/** The shared train-step graph of the conformance suite, with this fixture's default hyperparameters. */
export function mlpTrainStep(layers: readonly number[], hyper = { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 }): MlpTrainStep {
  return mlpTrainStepGraph(layers, hyper);
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
