import { float32, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import { buildMlp } from '@rank-collapse/models';
import { describe, expect, it } from 'vitest';
import { buildTrainStep, TRAIN_STEP, type TrainStepOptions } from './build-train-step.js';

// A 3-2-2 ReLU MLP, a batch of 3, fixed params and non-zero velocities.
const X = [
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.5],
  [-1.0, 2.0, 1.0],
];
const LABELS = [0, 1, 1];
const PARAMS: Record<string, number[][] | number[]> = {
  'dense1.weight': [
    [0.3, -0.2, 0.1],
    [-0.4, 0.5, 0.25],
  ],
  'dense1.bias': [0.1, -0.05],
  'dense2.weight': [
    [0.6, -0.3],
    [-0.2, 0.7],
  ],
  'dense2.bias': [0.02, -0.01],
};
const VELOCITY = 0.03; // every velocity entry
const LR = 0.1;

type Matrix = number[][];
const matT = (a: Matrix): Matrix => a[0].map((_, j) => a.map((r) => r[j]));
const matMul = (a: Matrix, b: Matrix): Matrix => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));

/** Forward and backward of the mean cross-entropy by hand, in float64. */
function handGradients(): { grads: Record<string, number[]>; loss: number; correct: number } {
  const w1 = PARAMS['dense1.weight'] as Matrix;
  const b1 = PARAMS['dense1.bias'] as number[];
  const w2 = PARAMS['dense2.weight'] as Matrix;
  const b2 = PARAMS['dense2.bias'] as number[];
  const n = X.length;
  const z1 = matMul(X, matT(w1)).map((r) => r.map((v, j) => v + b1[j]));
  const h1 = z1.map((r) => r.map((v) => Math.max(v, 0)));
  const z2 = matMul(h1, matT(w2)).map((r) => r.map((v, j) => v + b2[j]));
  // δ2 = (softmax(z2) − y)/N ; δ1 = (δ2 W2) ⊙ 1[z1 > 0]
  const d2 = z2.map((r, i) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v, k) => (v / s - (k === LABELS[i] ? 1 : 0)) / n);
  });
  const loss = -z2.reduce((s, r, i) => s + r[LABELS[i]] - Math.log(r.reduce((a, v) => a + Math.exp(v), 0)), 0) / n;
  const correct = z2.filter((r, i) => r.every((v, k) => k === LABELS[i] || v < r[LABELS[i]])).length;
  const d1 = matMul(d2, w2).map((r, i) => r.map((v, j) => (z1[i][j] > 0 ? v : 0)));
  const grads = {
    'dense2.weight': matMul(matT(d2), h1).flat(),
    'dense2.bias': d2[0].map((_, j) => d2.reduce((s, r) => s + r[j], 0)),
    'dense1.weight': matMul(matT(d1), X).flat(),
    'dense1.bias': d1[0].map((_, j) => d1.reduce((s, r) => s + r[j], 0)),
  };
  return { grads, loss, correct };
}

async function runStep(options: TrainStepOptions): Promise<Record<string, HostTensor>> {
  const model = buildMlp({ inputShape: [3], numClasses: 2, hidden: [2] });
  const step = buildTrainStep(model, { loss: 'cross-entropy', ...options });
  const backend = createReferenceBackend();
  const feeds: Record<string, HostTensor> = {
    x: float32([3, 3], X.flat()),
    targets: float32([3, 2], LABELS.flatMap((k) => [k === 0 ? 1 : 0, k === 1 ? 1 : 0])),
    lr: float32([], [LR]),
  };
  for (const p of model.graph.params) {
    const values = (PARAMS[p.name] as (number | number[])[]).flat();
    feeds[p.name] = float32(p.shape as number[], values);
    feeds[step.velocities[p.name]] = float32(p.shape as number[], values.map(() => VELOCITY));
  }
  const exe = await backend.compile(step.graph);
  const out = await exe.run(feeds);
  const host: Record<string, HostTensor> = {};
  for (const [k, v] of Object.entries(out)) host[k] = await backend.download(v);
  return host;
}

// Param values are float32-rounded when fed; compare against the rounded values.
const f32 = (values: number[]): number[] => Array.from(Float32Array.from(values));

describe('buildTrainStep', () => {
  const { grads, loss, correct } = handGradients();
  const tolerance = { atol: 1e-7, rtol: 1e-6 };

  it('updates v ← μv + g + λW, W ← W − η·v (torch.optim.SGD semantics), biases not decayed by default', async () => {
    const [mu, lambda] = [0.9, 0.05];
    const out = await runStep({ momentum: mu, weightDecay: lambda });
    for (const name of Object.keys(PARAMS)) {
      const p = f32((PARAMS[name] as (number | number[])[]).flat() as number[]);
      const decay = name.endsWith('.weight') ? lambda : 0;
      const v = p.map((w, i) => mu * Math.fround(VELOCITY) + grads[name][i] + decay * w);
      expectClose(out[`next/velocity/${name}`], v, tolerance, `velocity of ${name}`);
      expectClose(out[`next/${name}`], p.map((w, i) => w - Math.fround(LR) * v[i]), tolerance, `updated ${name}`);
    }
    expect(out[TRAIN_STEP.loss].shape).toEqual([]);
  });

  it('decays biases on request and applies decoupled decay W ← W − η·v − η·λ·W', async () => {
    const [mu, lambda] = [0.5, 0.1];
    const out = await runStep({ momentum: mu, weightDecay: lambda, decayBiases: true, decoupledDecay: true });
    for (const name of Object.keys(PARAMS)) {
      const p = f32((PARAMS[name] as (number | number[])[]).flat() as number[]);
      const v = p.map((_, i) => mu * Math.fround(VELOCITY) + grads[name][i]);
      expectClose(out[`next/velocity/${name}`], v, tolerance, `velocity of ${name}`);
      expectClose(out[`next/${name}`], p.map((w, i) => w - Math.fround(LR) * v[i] - Math.fround(LR) * lambda * w), tolerance, `updated ${name}`);
    }
  });

  it('outputs the mean loss and the correct count of the batch', async () => {
    const out = await runStep({});
    expectClose(out[TRAIN_STEP.loss], [loss], tolerance, 'loss');
    expect(Number(out[TRAIN_STEP.correct].data[0])).toBe(correct);
    expect(correct).toBeGreaterThan(0);
    expect(correct).toBeLessThan(3);
  });
});
