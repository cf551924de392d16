import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochRecord } from '@rank-collapse/training';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../__fixtures__/run-captured.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { AnalysisJson } from '../format/analysis-json.js';

const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-train-'));
const file = join(dir, 'tiny.yaml');
writeFileSync(file, readFileSync(new URL('../__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8'));

describe('train', () => {
  it('trains one trial with overrides, exports it, and the exported weights are the trained ones', async () => {
    const out = join(dir, 'trained.onnx');
    const { code, stdout, stderr } = await runCaptured(['train', file, '--trial', '1', '--epochs', '2', '--weight-decay', '0.01', '--out', out, '--json'], dir);
    expect(code).toBe(EXIT_CODES.ok);
    expect(stderr).toContain('λ=0.01 on onnx');
    const doc = JSON.parse(stdout) as { status: string; weightDecay: number; epochs: EpochRecord[]; out: string };
    expect(doc).toMatchObject({ status: 'done', weightDecay: 0.01, out });
    expect(doc.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    const analyzed = await runCaptured(['analyze', out, '--weights-only', '--json', '--backend', 'onnx'], dir);
    const layers = (JSON.parse(analyzed.stdout) as AnalysisJson).layers as (AnalysisJson['layers'][number] & { source: { tensor: string } })[];
    expect(layers.length).toBeGreaterThan(0);
    for (const layer of layers) expect(layer.metrics.frobeniusNorm!).toBeCloseTo(doc.epochs[1].weightNorms[layer.source.tensor], 4);
  });

  it('gives the same records with one step per backend run as with the default', async () => {
    const run = async (extra: string[]) => {
      const { code, stdout } = await runCaptured(['train', file, '--epochs', '2', '--json', '--quiet', ...extra], dir);
      expect(code).toBe(EXIT_CODES.ok);
      return (JSON.parse(stdout) as { epochs: EpochRecord[] }).epochs.map(({ seconds: _, ...rest }) => rest);
    };
    expect(await run(['--steps-per-run', '1'])).toEqual(await run([]));
    const bad = await runCaptured(['train', file, '--steps-per-run', '0'], dir);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain('--steps-per-run');
  });

  it('a trial index outside the grid is a usage error', async () => {
    const { code, stderr } = await runCaptured(['train', file, '--trial', '9'], dir);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toContain('--trial: expected an index from 0 to 1, got 9');
  });
});
