/**
 * Train-step conformance: one graph holding the forward pass of a 20-16-16-3 ReLU MLP, softmax cross-entropy
 * on one-hot labels, the autodiff backward pass and an SGD update with momentum and weight decay, run for
 * five steps with parameters and velocities kept resident and fed back. The backend under test must lower
 * the loss and end with the float64 oracle's parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isResident, type Backend, type Feed, type ResidentTensor } from '../../backend.js';
import type { Graph, HostTensor } from '../../ir/types.js';
import { createRng } from '../../random.js';
import { expectClose } from '../expect-close.js';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { mlpTrainStepGraph } from './mlp-train-step.js';
import type { Tolerance } from './types.js';

const LAYERS = [20, 16, 16, 3] as const;
const BATCH = 24;
const STEPS = 5;
const LEARNING_RATE = 0.1;
const MOMENTUM = 0.9;
const WEIGHT_DECAY = 5e-3;
/** Parameters after five steps, backend vs oracle: float32 round-off compounded over the steps. */
export const TRAIN_STEP_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

interface TrainStep {
  readonly graph: Graph;
  /** Param name → the output holding its value after the step (velocities included). */
  readonly next: Readonly<Record<string, string>>;
  readonly initial: Readonly<Record<string, HostTensor>>;
  readonly batch: Readonly<Record<string, HostTensor>>;
}

/** The train-step graph (see mlp-train-step.ts), seeded initial values and one batch of three Gaussian classes. */
function buildTrainStep(): TrainStep {
  const rng = createRng('train-step-conformance');
  const { graph, next } = mlpTrainStepGraph(LAYERS, { lr: LEARNING_RATE, momentum: MOMENTUM, weightDecay: WEIGHT_DECAY });
  const initial: Record<string, HostTensor> = {};
  for (const p of graph.params) {
    const shape = p.shape as number[];
    const n = shape.reduce((a, d) => a * d, 1);
    // He-scaled weights, small random biases, zero velocities.
    const draw = p.role === 'weight' ? () => rng.normal() * Math.sqrt(2 / shape[1]) : p.role === 'bias' ? () => 0.1 * rng.normal() : () => 0;
    initial[p.name] = { dtype: 'float32', shape, data: Float32Array.from({ length: n }, draw) };
  }

  // Three Gaussian classes in 20-d, one-hot labels.
  const means = Array.from({ length: LAYERS[3] }, () => Array.from({ length: LAYERS[0] }, () => rng.normal()));
  const xs = new Float32Array(BATCH * LAYERS[0]);
  const ys = new Float32Array(BATCH * LAYERS[3]);
  for (let i = 0; i < BATCH; i++) {
    const k = i % LAYERS[3];
    ys[i * LAYERS[3] + k] = 1;
    for (let j = 0; j < LAYERS[0]; j++) xs[i * LAYERS[0] + j] = means[k][j] + 0.8 * rng.normal();
  }
  const batch = { x: { dtype: 'float32', shape: [BATCH, LAYERS[0]], data: xs }, y: { dtype: 'float32', shape: [BATCH, LAYERS[3]], data: ys } } as const;
  return { graph, next, initial, batch };
}

/** Runs the steps with resident parameters; returns the losses and the final parameters on the host. */
async function train(backend: Backend, step: TrainStep): Promise<{ losses: number[]; params: Record<string, HostTensor> }> {
  const exe = await backend.compile(step.graph);
  let state: Record<string, ResidentTensor> = Object.fromEntries(Object.entries(step.initial).map(([k, t]) => [k, backend.upload(t)]));
  const losses: number[] = [];
  try {
    for (let s = 0; s < STEPS; s++) {
      const out = await exe.run({ ...step.batch, ...state }, { keepResident: Object.values(step.next), fetch: ['loss', ...Object.values(step.next)] });
      losses.push(Number((await backend.download(out.loss)).data[0]));
      const fresh: Record<string, ResidentTensor> = {};
      for (const [param, output] of Object.entries(step.next)) {
        const t: Feed = out[output];
        if (!isResident(t)) throw new Error(`${backend.name}: output "${output}" was asked to stay resident but came back to the host`);
        fresh[param] = t;
      }
      for (const t of Object.values(state)) backend.dispose(t);
      state = fresh;
    }
    const params: Record<string, HostTensor> = {};
    for (const [k, t] of Object.entries(state)) params[k] = await backend.download(t);
    return { losses, params };
  } finally {
    for (const t of Object.values(state)) backend.dispose(t);
    exe.dispose();
  }
}

/**
 * Registers vitest tests for a full train step on the backend made by `createBackend`: the loss falls over
 * five steps, and every parameter and velocity after them equals the float64 oracle's within
 * TRAIN_STEP_TOLERANCE (atol 1e-4, rtol 1e-3). Both backends are closed after the tests.
 */
export function describeTrainStepConformance(label: string, createBackend: () => Backend | Promise<Backend>): void {
  describe(`${label}: MLP train step (forward, autodiff backward, SGD with momentum and weight decay)`, () => {
    const step = buildTrainStep();
    const oracle = createReferenceBackend();
    let backend: Backend;
    let result: Awaited<ReturnType<typeof train>>;
    let expected: Awaited<ReturnType<typeof train>>;

    beforeAll(async () => {
      backend = await createBackend();
      result = await train(backend, step);
      expected = await train(oracle, step);
    });
    afterAll(async () => {
      await backend?.close?.();
      await oracle.close?.();
    });

    it(`lowers the loss over ${STEPS} steps`, () => {
      expect(result.losses).toHaveLength(STEPS);
      expect(result.losses[STEPS - 1]).toBeLessThan(result.losses[0] * 0.9);
      expectClose(result.losses, expected.losses, TRAIN_STEP_TOLERANCE, `${label}: losses per step vs the oracle`);
    });

    it(`ends with the oracle's parameters and velocities after ${STEPS} steps`, () => {
      for (const name of Object.keys(step.next)) {
        expectClose(result.params[name], expected.params[name], TRAIN_STEP_TOLERANCE, `${label}: "${name}" after ${STEPS} steps vs the oracle`);
      }
    });
  });
}
