import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCheckpointReport } from './build-checkpoint-report.js';
import { checkpointSeriesFigures, type CheckpointSeriesData } from './figures/checkpoint-series-figures.js';

const series: CheckpointSeriesData = {
  K: 10,
  checkpoints: [5, 10, 20].map((step, i) => ({
    name: `epoch-${step}.pt`,
    step,
    layers: [
      { layer: 'fc1', numericalRank: 256 - 10 * i, stableRank: 40 - 10 * i, relativeTailK: 0.9 - 0.2 * i },
      { layer: 'fc2', numericalRank: 100 - 40 * i, stableRank: 12 - 4 * i, relativeTailK: 0.5 - 0.2 * i },
    ],
  })),
};

describe('checkpoint series figures', () => {
  it('plots each layer against the steps in the file names, with the rule at K', () => {
    const figures = checkpointSeriesFigures(series);
    expect(figures.map((f) => f.id)).toEqual(['checkpoint-numerical-rank', 'checkpoint-stable-rank', 'checkpoint-relative-tail']);
    const values = (figures[0].spec as { data: { values: { x: number; layer: string; value: number }[] } }).data.values;
    expect(values.filter((v) => v.layer === 'fc2').map((v) => [v.x, v.value])).toEqual([
      [5, 100],
      [10, 60],
      [20, 20],
    ]);
    expect(JSON.stringify(figures[0].spec)).toContain('"y":10');
  });

  it('numbers checkpoints by position when a name has no step, and draws no tail without K', () => {
    const noSteps = { K: null, checkpoints: series.checkpoints.map((c, i) => ({ ...c, step: i === 1 ? null : c.step })) };
    const figures = checkpointSeriesFigures(noSteps);
    expect(figures.map((f) => f.id)).toEqual(['checkpoint-numerical-rank', 'checkpoint-stable-rank']);
    const values = (figures[0].spec as { data: { values: { x: number }[] } }).data.values;
    expect([...new Set(values.map((v) => v.x))]).toEqual([1, 2, 3]);
  });

  it('writes the figures as SVG and PNG and one page with no script and no outside request', async () => {
    const out = mkdtempSync(join(tmpdir(), 'checkpoint-report-'));
    const built = await buildCheckpointReport({ series, outDir: out, title: 'run 1', pngScale: 1 });
    expect(built.figures).toHaveLength(3);
    for (const f of built.figures) {
      expect(readFileSync(f.svg, 'utf8')).toMatch(/<svg/);
      expect(readFileSync(f.png).subarray(1, 4).toString()).toBe('PNG');
      expect(f.width).toBeGreaterThan(100);
    }
    const html = readFileSync(built.html, 'utf8');
    expect(html).toContain('<title>run 1</title>');
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('<td>fc2</td><td>20</td>');
  });
});
