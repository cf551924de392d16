import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../__fixtures__/run-captured.js';
import type { CheckpointSeriesJson } from '../format/weights-json.js';

// Three checkpoints of a PyTorch MLP trained with weight decay (apps/cli/scripts/torch-checkpoint-series.py),
// with numpy's singular values and numerical ranks of every weight matrix.
const series = new URL('../__fixtures__/torch-series/', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(join(series, 'reference.json'), 'utf8')) as Record<
  string,
  Record<string, { rows: number; cols: number; singularValues: number[]; numericalRank: number }>
>;

describe('analyze a checkpoint series', () => {
  it('a folder gives every checkpoint in training order, each matrix as numpy reads it', async () => {
    const { code, stdout } = await runCaptured(['analyze', series, '--classes', '4', '--singular-values', '--json'], series);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as CheckpointSeriesJson;
    expect(doc).toMatchObject({ format: 'rank-collapse-checkpoints/1', analysis: 'weights-only', classes: { K: 4, from: 'option' } });
    expect(doc.checkpoints.map((c) => [c.name, c.step])).toEqual([
      ['epoch-1.pt', 1],
      ['epoch-20.pt', 20],
      ['epoch-200.pt', 200],
    ]);
    for (const checkpoint of doc.checkpoints) {
      const expected = reference[checkpoint.name];
      expect(checkpoint.format).toBe('pytorch');
      expect(checkpoint.layers.map((l) => l.layer)).toEqual(Object.keys(expected));
      for (const layer of checkpoint.layers) {
        const ref = expected[layer.layer];
        expect(layer.shape).toEqual([ref.rows, ref.cols]);
        expect(layer.metrics.numericalRank, `${checkpoint.name} ${layer.layer}`).toBe(ref.numericalRank);
        layer.singularValues!.forEach((s, j) => expect(Math.abs(s - ref.singularValues[j])).toBeLessThanOrEqual(1e-6 * ref.singularValues[0]));
      }
      expect(checkpoint.skipped.map((s) => s.name)).toEqual(['0.bias', '2.bias', '4.bias']);
    }
    // Weight decay collapses the hidden layers toward K over training.
    const ranks = doc.checkpoints.map((c) => c.layers[1].metrics.numericalRank);
    expect(ranks[2]).toBeLessThan(ranks[0]!);
  });

  it('a pattern picks files, and --report draws the series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-series-'));
    mkdirSync(join(dir, 'ckpt'));
    for (const name of ['epoch-1.pt', 'epoch-200.pt']) copyFileSync(join(series, name), join(dir, 'ckpt', name));
    copyFileSync(join(series, 'epoch-20.pt'), join(dir, 'ckpt', 'other-20.pt'));
    const { code, stdout, stderr } = await runCaptured(['analyze', 'ckpt/epoch-*.pt', '--classes', '4', '--report', 'out'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ckpt\/epoch-\*\.pt: 2 checkpoints, weights only, K = 4/m);
    expect(stdout).toMatch(/^epoch-200\.pt\s+200\s+2\.weight\s+64×64\s+4\s/m);
    expect(stderr).toMatch(/report: .*out\/index\.html/);
    for (const id of ['checkpoint-numerical-rank', 'checkpoint-stable-rank', 'checkpoint-relative-tail']) {
      expect(existsSync(join(dir, 'out', 'figures', `${id}.png`)), id).toBe(true);
    }
  });

  it('refuses --data with a series and --report with one file', async () => {
    const withData = await runCaptured(['analyze', series, '--data', 'tiny'], series);
    expect(withData.code).toBe(2);
    expect(withData.stderr).toMatch(/is a checkpoint series, which is analyzed weights-only/);
    const one = await runCaptured(['analyze', join(series, 'epoch-1.pt'), '--report', 'out'], series);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--report draws a checkpoint series/);
  });
});

describe('analyze a PyTorch checkpoint with --data', () => {
  it('falls back to the weights, saying a state dict has no graph to run the data through', async () => {
    const { code, stdout, stderr } = await runCaptured(['analyze', join(series, 'epoch-200.pt'), '--data', 'tiny', '--classes', '4', '--json'], series);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { analysis: string; reason: string; layers: { layer: string; metrics: { numericalRank: number } }[] };
    expect(doc.analysis).toBe('weights-only');
    expect(doc.reason).toMatch(/a PyTorch checkpoint holds weights but no graph to run the data through/);
    expect(doc.layers.map((l) => [l.layer, l.metrics.numericalRank])).toEqual(Object.entries(reference['epoch-200.pt']).map(([name, r]) => [name, r.numericalRank]));
    expect(stderr).toMatch(/note: analysis: weights-only/);
  });
});
