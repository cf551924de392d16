import { readFileSync } from 'node:fs';
import { createOnnxBackend, loadOrt } from '@rank-collapse/backend-onnx';
import type { CompressionResult, StoredEpochRecord } from '@rank-collapse/rows';
import { parseSweepConfig, expandGrid, type RecordedLayer, type TrialCheckpoint, type TrialContext, type TrialSpec } from '@rank-collapse/sweep';
import { describe, expect, it } from 'vitest';
import { createExperimentTrialFunction } from './create-experiment-trial-function.js';
import { EXPERIMENT_SCHEMAS } from './experiment-schemas.js';

const text = readFileSync(new URL('./__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8');
const trial: TrialSpec = expandGrid(parseSweepConfig(text, { file: 'tiny-sweep.yaml' }), { schemas: EXPERIMENT_SCHEMAS })[1];
const backend = createOnnxBackend({ ort: await loadOrt(), intraOpThreads: 1 });
const trialFunction = createExperimentTrialFunction({ backendFor: () => backend, checkpointEvery: 1 });

interface Recorded {
  epochs: StoredEpochRecord[];
  layers: Map<number, RecordedLayer[]>;
  compression: CompressionResult[];
  checkpoints: TrialCheckpoint[];
}

function context(recorded: Recorded, options: { resumeFrom?: TrialCheckpoint; abortAfterEpoch?: number } = {}): TrialContext {
  const controller = new AbortController();
  return {
    key: trial.key,
    config: trial.config,
    axes: trial.axes,
    attempt: options.resumeFrom ? 2 : 1,
    ...(options.resumeFrom && { resumeFrom: options.resumeFrom }),
    signal: controller.signal,
    async recordEpoch(row) {
      recorded.epochs.push(row);
      if (row.epoch === options.abortAfterEpoch) controller.abort();
    },
    async recordLayers(epoch, rows) {
      recorded.layers.set(epoch, [...rows]);
    },
    async recordSpectrum() {},
    async recordCompression(result) {
      recorded.compression.push(result);
    },
    async saveCheckpoint(checkpoint) {
      recorded.checkpoints.push(checkpoint);
    },
    progress() {},
    log() {},
  };
}

const empty = (): Recorded => ({ epochs: [], layers: new Map(), compression: [], checkpoints: [] });

describe('the trial function', () => {
  it('an interrupted trial resumed from its last checkpoint ends exactly where an uninterrupted one does', async () => {
    const whole = empty();
    expect(await trialFunction(context(whole))).toEqual({ status: 'done' });
    expect(whole.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect([...whole.layers.keys()]).toEqual([0, 3]);
    expect(whole.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    // After the last epoch: one compression result per configured choice, none in the layer rows.
    expect(whole.compression.map((c) => [c.epoch, c.label, c.choice])).toEqual([
      [3, 'rank=K', { rank: 10 }],
      [3, 'energy=0.01', { energy: 0.01 }],
    ]);
    expect(whole.compression[0].layers.map((l) => [l.layer, l.index])).toEqual(whole.layers.get(3)!.map((r) => [r.layer, r.index]));
    expect(whole.compression[0].layers[0].rank).toBe(10);
    for (const result of whole.compression) {
      expect(result.accuracy).toBeGreaterThanOrEqual(0);
      expect(result.accuracy).toBeLessThanOrEqual(1);
      expect(result.paramsAfter).toBeLessThanOrEqual(result.paramsBefore!);
    }
    expect(Object.keys(whole.layers.get(3)![0]).filter((field) => field.startsWith('compressed'))).toEqual([]);

    const first = empty();
    expect(await trialFunction(context(first, { abortAfterEpoch: 2 }))).toMatchObject({ status: 'aborted' });
    const last = first.checkpoints[first.checkpoints.length - 1];
    expect(last.epoch).toBe(2);
    const second = empty();
    expect(await trialFunction(context(second, { resumeFrom: last }))).toEqual({ status: 'done' });
    expect(second.epochs.map((e) => e.epoch)).toEqual([3]);
    // No analysis of the initialization again: it was recorded by the first attempt.
    expect([...second.layers.keys()]).toEqual([3]);

    const expected = whole.layers.get(3)!;
    const resumed = second.layers.get(3)!;
    expect(resumed.map((r) => r.layer)).toEqual(expected.map((r) => r.layer));
    for (const [i, row] of resumed.entries()) {
      for (const field of ['frobeniusNorm', 'tailK', 'numericalRank', 'inputTcv', 'normE', 'normR', 'analysisAccuracy']) {
        expect(row[field] as number, `${row.layer}.${field}`).toBeCloseTo(expected[i][field] as number, 5);
      }
    }
    expect(second.epochs[0].trainLoss).toBeCloseTo(whole.epochs[2].trainLoss as number, 6);
  });
});
