/**
 * The same analysis on every backend: at initialization, mid-training and at the end of a run, the certificate
 * chain holds on each backend, and ONNX Runtime and TensorFlow.js agree with the float64 reference.
 */
import type { Backend, HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend } from '@rank-collapse/backend/testing';
import { createOnnxBackend, loadOrt } from '@rank-collapse/backend-onnx';
import { createTfjsBackend, loadTfjs } from '@rank-collapse/backend-tfjs';
import { generateGaussianMixtureSplits } from '@rank-collapse/datasets';
import { buildMlp } from '@rank-collapse/models';
import { train } from '@rank-collapse/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from './analyze.js';

const K = 4;
const lambda = 5e-3;
const splits = generateGaussianMixtureSplits({ numClasses: K, dimension: 10, perClass: 30, testPerClass: 5, separation: 4, seed: 'backends' });
const model = buildMlp({ inputShape: [10], hidden: [16, 12], numClasses: K });

const backends: [string, () => Promise<Backend>][] = [
  ['onnx', async () => createOnnxBackend({ ort: await loadOrt(), intraOpThreads: 1 })],
  ['tfjs-cpu', async () => createTfjsBackend({ tf: (await loadTfjs({ prefer: ['cpu'] })).tf })],
  ['tfjs-wasm', async () => createTfjsBackend({ tf: (await loadTfjs({ prefer: ['wasm'] })).tf })],
];

/** Fields compared across backends: every continuous metric the report plots. */
const FIELDS = ['frobeniusNorm', 'tailK', 'relativeTailK', 'stableRank', 'inputTcv', 'inputScaleFreeTcv', 'inputTraceRatio', 'deltaTcv', 'deltaTraceRatio', 'normA', 'normE', 'normR', 'boundER', 'offSpanW', 'offSpanE', 'offSpanR', 'tcvBound'] as const;

const stages: { label: string; params: ReadonlyMap<string, HostTensor> }[] = [];
const reference = new Map<string, AnalysisResult>();

beforeAll(async () => {
  stages.push({ label: 'initialization', params: model.initialParams(1) });
  const run = await train({
    backend: createReferenceBackend(),
    model,
    data: splits,
    options: { epochs: 6, batchSize: 20, lr: 0.1, momentum: 0.9, weightDecay: lambda, seed: 1, checkpointEvery: 3 },
    onCheckpoint: (c) => void stages.push({ label: `epoch ${c.epoch}`, params: c.params }),
  });
  expect(run.status).toBe('done');
  for (const s of stages) reference.set(s.label, await analyze({ backend: createReferenceBackend(), graph: model.graph, params: s.params, data: splits.train, weightDecay: lambda }));
}, 120_000);

function expectChain(result: AnalysisResult, where: string): void {
  const tol = 1e-6;
  for (const r of result.rows) {
    const at = `${where} ${r.layer}`;
    expect(r.tailK, `${at} τ_K ≤ ‖W P⊥‖`).toBeLessThanOrEqual(r.offSpanW! * (1 + tol) + tol);
    expect(r.offSpanW!, `${at} ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖`).toBeLessThanOrEqual((r.offSpanE! + r.offSpanR!) * (1 + tol) + tol);
    expect(r.tailK, `${at} τ_K ≤ ‖E‖ + ‖R‖`).toBeLessThanOrEqual(r.boundER! * (1 + tol) + tol);
    expect(r.boundER!, `${at} ‖E‖ + ‖R‖ ≤ TCV bound`).toBeLessThanOrEqual(r.tcvBoundFull! * (1 + tol) + tol);
    expect(r.reconstructionError!, `${at} A + E + R = W`).toBeLessThan(1e-5);
  }
}

describe('analysis on the reference backend through training', () => {
  it('holds the certificate at initialization, mid-training and at the end', () => {
    expect(stages.map((s) => s.label)).toEqual(['initialization', 'epoch 3', 'epoch 6']);
    for (const s of stages) expectChain(reference.get(s.label)!, s.label);
    // Training with weight decay moves the deepest layer toward rank K: its relative tail shrinks.
    const first = reference.get('initialization')!.rows[1].relativeTailK;
    const last = reference.get('epoch 6')!.rows[1].relativeTailK;
    expect(last).toBeLessThan(first!);
  });
});

describe.each(backends)('analysis on %s', (label, create) => {
  it('holds the certificate and agrees with the float64 reference at every stage', async () => {
    const backend = await create();
    try {
      for (const s of stages) {
        const result = await analyze({ backend, graph: model.graph, params: s.params, data: splits.train, weightDecay: lambda, batchSize: 50 });
        expectChain(result, `${label} ${s.label}`);
        const oracle = reference.get(s.label)!;
        expect(result.accuracy).toBeCloseTo(oracle.accuracy!, 10);
        result.rows.forEach((row, l) => {
          const scale = oracle.rows[l].frobeniusNorm + (oracle.rows[l].boundER ?? 0);
          for (const f of FIELDS) {
            const a = row[f] as number;
            const b = oracle.rows[l][f] as number;
            // float32 backends vs the float64 oracle: 1e-3 relative, with an absolute floor for terms near zero.
            expect(Math.abs(a - b), `${label} ${s.label} ${row.layer} ${f}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-3 * Math.abs(b) + 1e-5 * scale);
          }
        });
      }
    } finally {
      await backend.close?.();
    }
  });
});
