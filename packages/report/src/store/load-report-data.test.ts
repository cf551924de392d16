import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSweepStore, type SweepStore, type TrialSpec } from '@rank-collapse/sweep';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import { buildReport } from '../build-report.js';
import { loadReportData } from './load-report-data.js';

function trialSpec(index: number, weightDecay: number, seed: number, extraAxes: Record<string, unknown> = {}): TrialSpec {
  return {
    key: `key${index}`,
    index,
    config: {
      dataset: { name: 'mnist', subsetPerClass: 100 },
      model: { kind: 'mlp', hidden: [64, 64] },
      training: { epochs: 5, batchSize: 128, lr: 0.05, momentum: 0.9, weightDecay, schedule: 'constant' },
      analysis: { checkpoints: 'final', rankTolerance: 1e-3, singularValues: true },
      seed,
      backend: 'reference',
    },
    axes: { weightDecay, seed, ...extraAxes },
  };
}

describe('loadReportData', () => {
  let dir: string;
  let store: SweepStore;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-store-'));
    path = join(dir, 'sweep.sqlite');
    store = openSweepStore(path);
    store.upsertSweep('demo', { name: 'demo' }, 'demo.yaml');
    store.addTrials('demo', [trialSpec(0, 1e-3, 0), trialSpec(1, 0, 0), trialSpec(2, 1e-2, 1, { note: '</script><b>' })]);
    // Trial 0 is done with one checkpoint; trial 1 is running; trial 2 is still queued.
    const [synthetic] = syntheticReportData({ lambdas: [1e-3], seeds: [0] }).trials;
    store.startAttempt('key0', 'test');
    for (const epoch of synthetic.epochs) store.recordEpoch('key0', { ...epoch });
    store.recordLayers(
      'key0',
      5,
      synthetic.layers.map(({ epoch: _epoch, ...row }, i) => ({ ...row, singularValues: synthetic.spectra[i].singularValues })),
    );
    store.finishAttempt('key0', { status: 'done', durationMs: 1234, epochMs: [1, 2, 3, 4, 5] });
    store.startAttempt('key1', 'test');
    store.recordEpoch('key1', { epoch: 1, trainLoss: Number.NaN, trainAccuracy: 0.5, testAccuracy: null });
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the fixed-rank compression results of the last compressed epoch, by rank', () => {
    const result = (epoch: number, label: string, choice: { rank: number } | { energy: number }, accuracy: number) => ({
      epoch, label, choice, split: 'test' as const, accuracy, baselineAccuracy: 0.9, paramsBefore: 5000, paramsAfter: 1000, layers: [],
    });
    store.recordCompression('key0', result(3, 'rank=K', { rank: 10 }, 0.2));
    store.recordCompression('key0', result(5, 'rank=K', { rank: 10 }, 0.85));
    store.recordCompression('key0', result(5, 'rank=4', { rank: 4 }, 0.5));
    store.recordCompression('key0', result(5, 'energy=0.01', { energy: 0.01 }, 0.88));
    const [trial] = loadReportData(path).trials;
    expect(trial.compression).toEqual([
      { rank: 4, accuracy: 0.5, split: 'test', paramsAfter: 1000 },
      { rank: 10, accuracy: 0.85, split: 'test', paramsAfter: 1000 },
    ]);
    expect(loadReportData(path).trials[1].compression).toEqual([]);
  });

  it('reads trials, epochs, layer rows and spectra while the writer still has the store open', () => {
    const data = loadReportData(path);
    expect(data.sweeps).toEqual([{ name: 'demo', file: 'demo.yaml' }]);
    expect(data.source).toBe(path);
    expect(data.trials.map((t) => [t.key, t.status])).toEqual([
      ['key0', 'done'],
      ['key1', 'running'],
      ['key2', 'queued'],
    ]);
    const [done, running, queued] = data.trials;
    expect(done.config).toMatchObject({ weightDecay: 1e-3, seed: 0, model: 'mlp 64-64', dataset: 'mnist', epochs: 5 });
    expect(done.label).toBe('λ=1e-3 · seed 0');
    expect(done.group).toBe('mlp 64-64 · mnist');
    expect(done.durationMs).toBe(1234);
    expect(done.epochs).toHaveLength(5);
    expect(done.layers.map((row) => [row.epoch, row.index, row.layer])).toEqual([
      [5, 0, 'dense0'],
      [5, 1, 'dense1'],
      [5, 2, 'dense2'],
    ]);
    expect(done.layers[1].numericalRank).toBeGreaterThan(0);
    expect(done.spectra.map((s) => [s.epoch, s.layerIndex, s.singularValues.length])).toEqual([
      [5, 0, 64],
      [5, 1, 64],
      [5, 2, 10],
    ]);
    expect(running.epochs).toEqual([{ epoch: 1, trainLoss: null, trainAccuracy: 0.5, testLoss: null, testAccuracy: null }]);
    expect(queued.label).toBe('λ=1e-2 · seed 1 · note=</script><b>');
    expect(queued.group).toBe('note=</script><b>');
  });

  it('keeps the trials of one sweep when asked', () => {
    expect(loadReportData(path, { sweep: 'other' }).trials).toEqual([]);
    expect(loadReportData(path, { sweep: 'demo' }).trials).toHaveLength(3);
  });

  it('builds a partial report from the store path, and rebuilds it after new results arrive', async () => {
    const outDir = join(dir, 'report');
    const first = await buildReport({ storePath: path, outDir });
    expect(first.partial).toBe(true);
    expect(first.certificateViolations).toBe(0);
    expect(first.figures.map((f) => f.id)).toContain('numerical-rank');
    const html = readFileSync(first.html, 'utf8');
    expect(html).toContain('id="partial-banner"');
    expect(html).not.toContain('<b>');

    store.recordEpoch('key1', { epoch: 2, trainLoss: 0.3, trainAccuracy: 0.9, testAccuracy: 0.88 });
    store.finishAttempt('key1', { status: 'done', durationMs: 1, epochMs: [1] });
    store.startAttempt('key2', 'test');
    store.finishAttempt('key2', { status: 'failed', error: 'out of memory', durationMs: 1, epochMs: [] });
    const second = await buildReport({ storePath: path, outDir });
    expect(second.partial).toBe(false);
    const rebuilt = readFileSync(second.html, 'utf8');
    expect(rebuilt).not.toContain('id="partial-banner"');
    expect(rebuilt).toContain('out of memory');
  });

  it('throws a clear error for a missing store', () => {
    expect(() => loadReportData(join(dir, 'missing.sqlite'))).toThrow(/no sweep store at .*missing.sqlite/);
  });
});
