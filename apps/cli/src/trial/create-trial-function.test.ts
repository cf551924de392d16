import { readFileSync } from 'node:fs';
import { parseSweepConfig, expandGrid, type EpochRecord, type LayerRecord, type TrialCheckpoint, type TrialContext, type TrialSpec } from '@rank-collapse/sweep';
import { describe, expect, it } from 'vitest';
import { createBackendCache } from '../backends/select-backend.js';
import { createTrialFunction } from './create-trial-function.js';
import { SWEEP_SCHEMAS } from './sweep-schemas.js';

const text = readFileSync(new URL('../__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8');
const trial: TrialSpec = expandGrid(parseSweepConfig(text, { file: 'tiny-sweep.yaml' }), { schemas: SWEEP_SCHEMAS })[1];
const trialFunction = createTrialFunction({ backendFor: createBackendCache(), checkpointEvery: 1 });

interface Recorded {
  epochs: EpochRecord[];
  layers: Map<number, LayerRecord[]>;
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
    async saveCheckpoint(checkpoint) {
      recorded.checkpoints.push(checkpoint);
    },
    progress() {},
    log() {},
  };
}

const empty = (): Recorded => ({ epochs: [], layers: new Map(), checkpoints: [] });

describe('the trial function', () => {
  it('an interrupted trial resumed from its last checkpoint ends exactly where an uninterrupted one does', async () => {
    const whole = empty();
    expect(await trialFunction(context(whole))).toEqual({ status: 'done' });
    expect(whole.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect([...whole.layers.keys()]).toEqual([0, 3]);
    expect(whole.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);

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
