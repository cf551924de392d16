import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSweepStore } from '@rank-collapse/sweep';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../__fixtures__/run-captured.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { SweepJson } from './sweep-command.js';

const fixture = readFileSync(new URL('../__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-cli-'));
const sweepFile = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
afterAll(() => {
  // Left in the OS temp folder on failure for inspection; nothing else to release.
});

describe('sweep end to end (tiny data, onnx)', () => {
  const out = join(dir, 'tiny');
  let first: { code: number; stdout: string; stderr: string };

  it('trains, analyzes at the checkpoints, stores every row and writes the report', async () => {
    first = await runCaptured(['sweep', sweepFile('tiny.yaml', fixture), '--out', out, '--json', '--workers', '1'], dir);
    expect(first.stderr).not.toMatch(/rank-collapse: /);
    expect(first.code).toBe(EXIT_CODES.ok);
    const summary = JSON.parse(first.stdout) as SweepJson;
    expect(summary).toMatchObject({ format: 'rank-collapse-sweep/1', name: 'tiny', store: join(out, 'sweep.sqlite'), interrupted: false });
    expect(summary.counts.done).toBe(2);
    expect(summary.trials.map((t) => [t.axes.weightDecay, t.status, t.epochs])).toEqual([
      [0, 'done', 3],
      [1e-3, 'done', 3],
    ]);
    expect(summary.report).toBe(join(out, 'report', 'index.html'));
    expect(existsSync(summary.report!)).toBe(true);
    expect(first.stderr).toMatch(/\[0\] epoch 0: analyzed 200 samples/);

    const store = openSweepStore(summary.store, { readonly: true });
    try {
      for (const trial of summary.trials) {
        const epochs = store.epochs(trial.key);
        expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
        const layers = store.layers(trial.key);
        expect(layers.map((l) => `${l.epoch}:${l.layer}`)).toEqual(['0:dense1', '0:dense2', '0:dense3', '3:dense1', '3:dense2', '3:dense3']);
        const weightDecay = trial.axes.weightDecay as number;
        for (const row of layers) {
          expect(row.weightDecay).toBe(weightDecay);
          expect(row.analysisSamples).toBe(200);
          // Singular values went to the spectra table; ‖W‖_F from them equals the row's norm.
          const sigma = store.spectrum(trial.key, row.epoch, row.index)!;
          expect(sigma.length).toBe(Math.min(row.rows as number, row.cols as number));
          expect(Math.hypot(...sigma)).toBeCloseTo(row.frobeniusNorm as number, 10);
          expect(row['numericalRank@0.01']).toBe([...sigma].filter((s) => s > 1e-2 * sigma[0]).length);
        }
        // The analysis after the last epoch sees the weights training reported: ‖W‖_F computed two ways.
        const last = epochs[epochs.length - 1] as Record<string, unknown>;
        for (const row of layers.filter((l) => l.epoch === 3)) {
          expect(row.frobeniusNorm as number).toBeCloseTo(last[`norm:${row.layer}.weight`] as number, 4);
        }
        // Compression results after the last epoch have a table of their own.
        const compressed = store.compression(trial.key).find((c) => c.label === 'rank=K')!;
        expect(compressed.epoch).toBe(3);
        expect(compressed.layers[0].rank).toBe(10);
        expect(compressed.accuracy).toBeGreaterThanOrEqual(0);
        expect(compressed.accuracy).toBeLessThanOrEqual(1);
        // The certificate: τ_K ≤ ‖E‖_F + ‖R‖_F wherever it is computed (λ > 0, dense layers).
        for (const row of layers) {
          if (weightDecay === 0) expect(row.normE).toBeNull();
          else expect(row.tailK as number).toBeLessThanOrEqual((row.normE as number) + (row.normR as number) + 1e-6);
        }
      }
    } finally {
      store.close();
    }
  });

  it('rerunning the same command runs nothing again', async () => {
    const again = await runCaptured(['sweep', join(dir, 'tiny.yaml'), '--out', out, '--no-report', '--workers', '1'], dir);
    expect(again.code).toBe(EXIT_CODES.ok);
    expect(again.stderr).toContain('sweep tiny: 2 trials, 2 already finished');
    expect(again.stderr).not.toMatch(/\] start /);
    expect(again.stdout).toMatch(/^0\s+weightDecay=0\s+done\s+3/m);
  });

  it('exports a trained model as ONNX and a table as CSV', async () => {
    const model = join(dir, 'trial1.onnx');
    const exported = await runCaptured(['export', join(out, 'sweep.sqlite'), '--trial', '1', '--out', model, '--json'], dir);
    expect(exported.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(exported.stdout)).toMatchObject({ out: model, index: 1, epoch: 3 });
    expect(readFileSync(model).byteLength).toBeGreaterThan(3594 * 4);
    const csv = join(dir, 'layers.csv');
    const table = await runCaptured(['export', join(out, 'sweep.sqlite'), '--table', 'layers', '--out', csv], dir);
    expect(table.code).toBe(EXIT_CODES.ok);
    expect(readFileSync(csv, 'utf8').trim().split('\n').length).toBe(1 + 12);
    const compression = join(dir, 'compression.jsonl');
    expect((await runCaptured(['export', join(out, 'sweep.sqlite'), '--table', 'compression', '--format', 'jsonl', '--out', compression], dir)).code).toBe(EXIT_CODES.ok);
    // Two trials × two choices (rank=K, energy=0.01), each with the trial's grid values.
    const results = readFileSync(compression, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(results.map((r) => r.label).sort()).toEqual(['energy=0.01', 'energy=0.01', 'rank=K', 'rank=K']);
    expect(results.map((r) => r.weightDecay).sort()).toEqual([0, 0, 1e-3, 1e-3]);
    const bad = await runCaptured(['export', join(out, 'sweep.sqlite'), '--trial', '7', '--out', model], dir);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain('--trial: no trial "7" in the store');
  });
});

describe('sweep --workers 2 (local worker processes building their own backend)', () => {
  it('computes the same rows as the in-process run', async () => {
    const out = join(dir, 'tiny-workers');
    const { code, stdout, stderr } = await runCaptured(['sweep', sweepFile('tiny-w.yaml', fixture), '--out', out, '--json', '--no-report', '--workers', '2'], dir);
    expect(stderr).toContain('2 worker processes');
    expect(code).toBe(EXIT_CODES.ok);
    const summary = JSON.parse(stdout) as SweepJson;
    const inProcess = openSweepStore(join(dir, 'tiny', 'sweep.sqlite'), { readonly: true });
    const workers = openSweepStore(summary.store, { readonly: true });
    try {
      for (const trial of summary.trials) {
        const expected = inProcess.layers(trial.key);
        const actual = workers.layers(trial.key);
        expect(actual.length).toBe(expected.length);
        actual.forEach((row, i) => {
          for (const field of ['frobeniusNorm', 'tailK', 'inputTcv', 'analysisAccuracy'] as const) expect(row[field] as number, field).toBeCloseTo(expected[i][field] as number, 4);
        });
      }
    } finally {
      inProcess.close();
      workers.close();
    }
  });
});

describe('sweep with convolutional networks (CNN and ResNet)', () => {
  it('trains, analyzes conv layers (spectra, no certificate) and dense layers (certificate), and compresses both', async () => {
    const text = readFileSync(new URL('../__fixtures__/tiny-conv-sweep.yaml', import.meta.url), 'utf8');
    const { code, stdout } = await runCaptured(['sweep', sweepFile('conv.yaml', text), '--out', join(dir, 'conv'), '--json', '--no-report', '--workers', '1'], dir);
    expect(code).toBe(EXIT_CODES.ok);
    const summary = JSON.parse(stdout) as SweepJson;
    expect(summary.trials.map((t) => t.axes['model.kind'])).toEqual(['cnn', 'resnet']);
    const store = openSweepStore(summary.store, { readonly: true });
    try {
      const [cnn, resnet] = summary.trials.map((t) => store.layers(t.key));
      expect(cnn.map((r) => [r.layer, r.kind, r.rows, r.cols])).toEqual([
        ['conv1', 'conv', 4, 9],
        ['dense1', 'dense', 16, 4 * 7 * 7],
        ['dense2', 'dense', 10, 16],
      ]);
      for (const row of [...cnn, ...resnet]) {
        if (row.kind === 'conv') expect(row.normE).toBeNull();
        else expect(row.tailK as number).toBeLessThanOrEqual((row.normE as number) + (row.normR as number) + 1e-6);
      }
      for (const trial of summary.trials) {
        const compressed = store.compression(trial.key).find((c) => c.label === 'rank=2')!;
        expect(compressed.accuracy).toBeGreaterThanOrEqual(0);
        expect(compressed.layers.map((l) => l.layer)).toEqual(store.layers(trial.key).filter((r) => r.epoch === compressed.epoch).map((r) => r.layer));
      }
      expect(resnet.filter((r) => r.kind === 'conv').length).toBeGreaterThanOrEqual(5);
    } finally {
      store.close();
    }
  });
});

describe('sweep configuration errors name the field (exit 2)', () => {
  it('a bad value, with file:line:column', async () => {
    const { code, stderr } = await runCaptured(['sweep', sweepFile('bad.yaml', fixture.replace('lr: 0.05', 'lr: -1')), '--out', join(dir, 'bad')], dir);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(/^rank-collapse: Invalid sweep file .*bad\.yaml \(1 problem\):\n {2}.*bad\.yaml:15:3: training\.lr: expected a number > 0, got -1\n$/);
  });

  it('a misspelled model field and an unknown training option', async () => {
    const text = fixture.replace('hidden: [16, 16]', 'hiden: [16, 16]').replace('momentum: 0.9', 'momentum: 0.9\n  nesterov: true');
    const { code, stderr } = await runCaptured(['sweep', sweepFile('typo.yaml', text), '--out', join(dir, 'typo')], dir);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(/model\.hidden: expected .*got nothing/);
    expect(stderr).toMatch(/typo\.yaml:17:3: (training\.)?nesterov: (unknown field|expected no field)/);
  });

  it('an unknown dataset names the allowed ones', async () => {
    const { code, stderr } = await runCaptured(['sweep', sweepFile('dataset.yaml', fixture.replace('  name: tiny', '  name: cifar10')), '--out', join(dir, 'd')], dir);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(/dataset\.name: expected .*mnist.*fashion-mnist.*got "cifar10"/);
  });

  it('a missing file', async () => {
    const { code, stderr } = await runCaptured(['sweep', join(dir, 'nope.yaml')], dir);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toContain('cannot read the file: no such file');
  });
});

describe('failed and diverged trials (exit 3)', () => {
  it('a trial whose data cannot be loaded fails, a trial with a huge learning rate diverges; both are recorded', async () => {
    const text = fixture
      .replace('name: tiny\n', 'name: broken\n')
      .replace('weightDecay: [0, 1e-3]', 'weightDecay: [0]\n  lr: [1.0e+4]\n  subsetPerClass: [20, 500]')
      .replace('checkpoints: [0, 3]', 'checkpoints: [3]');
    const { code, stdout } = await runCaptured(['sweep', sweepFile('broken.yaml', text), '--out', join(dir, 'broken'), '--json', '--no-report', '--workers', '1'], dir);
    expect(code).toBe(EXIT_CODES.trialsFailed);
    const summary = JSON.parse(stdout) as SweepJson;
    const [diverged, failed] = summary.trials;
    expect(diverged.status).toBe('diverged');
    expect(diverged.error).toMatch(/loss is NaN|non-finite|Infinity/);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/DatasetError: .*500/);
  });
});
