/**
 * Cross-backend agreement: the same MLP, seed and batches trained for 50 SGD steps (momentum, weight decay)
 * on tfjs (wasm and cpu), on the float64 reference backend and on ONNX Runtime. Tolerance against the
 * reference: every step's loss within atol 2e-6 + rtol 2e-5, final parameters (and momentum buffers) within
 * atol 1e-5 + rtol 1e-4: float32 round-off accumulated over 50 steps (measured: all backends also pass
 * bounds ten times tighter).
 */
import { describe, expect, it } from 'vitest';
import type { Backend, HostTensor, ResidentTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose } from '@rank-collapse/backend/testing';
import { createOnnxBackend, loadOrt } from '@rank-collapse/backend-onnx';
import { mlpBatch, mlpInitialParams, mlpTrainStep } from './__fixtures__/mlp-train-step.js';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

const LAYERS = [20, 32, 32, 5];
const STEPS = 50;
const BATCH = 16;
const LOSS_TOLERANCE = { atol: 2e-6, rtol: 2e-5 };
const PARAM_TOLERANCE = { atol: 1e-5, rtol: 1e-4 };

interface Trained {
  readonly losses: number[];
  readonly params: Record<string, HostTensor>;
}

async function train(backend: Backend): Promise<Trained> {
  const { graph, next } = mlpTrainStep(LAYERS);
  const step = await backend.compile(graph);
  const keep = Object.values(next);
  let state: Record<string, ResidentTensor> = Object.fromEntries(Object.entries(mlpInitialParams(graph, 'agreement/params')).map(([k, v]) => [k, backend.upload(v)]));
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const out = await step.run({ ...mlpBatch(LAYERS[0], LAYERS.at(-1)!, BATCH, `agreement/batch/${s}`), ...state }, { fetch: ['loss', ...keep], keepResident: keep });
    for (const r of Object.values(state)) backend.dispose(r);
    state = Object.fromEntries(Object.entries(next).map(([param, output]) => [param, out[output] as ResidentTensor]));
    losses.push(Number((out.loss as HostTensor).data[0]));
  }
  const params: Record<string, HostTensor> = {};
  for (const [name, r] of Object.entries(state)) {
    params[name] = await backend.download(r);
    backend.dispose(r);
  }
  step.dispose();
  await backend.close?.();
  return { losses, params };
}

describe(`cross-backend agreement: MLP ${LAYERS.join('-')}, ${STEPS} steps of batch ${BATCH}`, () => {
  it('tfjs (wasm, cpu), ONNX Runtime and the float64 reference give the same losses and parameters', async () => {
    const reference = await train(createReferenceBackend());
    const wasm = await train(createTfjsBackend({ tf: (await loadTfjs({ prefer: ['wasm'] })).tf }));
    const cpu = await train(createTfjsBackend({ tf: (await loadTfjs({ prefer: ['cpu'] })).tf }));
    const onnx = await train(createOnnxBackend({ ort: await loadOrt() }));
    // Training happened: the loss fell.
    expect(reference.losses.at(-1)!).toBeLessThan(reference.losses[0]);
    for (const [label, run] of Object.entries({ 'tfjs-wasm': wasm, 'tfjs-cpu': cpu, onnx })) {
      expectClose(run.losses, reference.losses, LOSS_TOLERANCE, `${label} losses vs the reference`);
      for (const name of Object.keys(reference.params)) expectClose(run.params[name], reference.params[name], PARAM_TOLERANCE, `${label} "${name}" after ${STEPS} steps`);
    }
    expectClose(wasm.losses, onnx.losses, { atol: 2 * LOSS_TOLERANCE.atol, rtol: 2 * LOSS_TOLERANCE.rtol }, 'tfjs-wasm vs onnx losses');
  });
});
