import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import type { LambdaPoint } from './lambda-chart.js';
import { reportFigures } from './report-figures.js';

type Layered = { data: { values: LambdaPoint[] }; layer: Array<{ mark: { type: string }; transform?: Array<{ filter: string }>; encoding: Record<string, { datum?: number }> }> };

const figureById = (data = syntheticReportData()) => new Map(reportFigures(data).map((figure) => [figure.id, figure]));

describe('reportFigures', () => {
  it('builds every figure for a complete sweep, each compiling to Vega', () => {
    const figures = reportFigures(syntheticReportData());
    expect(figures.map((f) => f.id)).toEqual([
      'numerical-rank',
      'relative-tail',
      'projected-chain',
      'certificate-bound',
      'stationarity',
      'input-collapse',
      'singular-spectra',
      'accuracy',
      'compression',
      'training-curves',
    ]);
    for (const figure of figures) expect(() => compile(figure.spec), figure.id).not.toThrow();
  });

  it('makes every colour legend clickable (legend filtering through the selection param)', () => {
    for (const figure of reportFigures(syntheticReportData())) {
      const legends = (compile(figure.spec).spec.legends ?? []) as Array<{ fill?: string; stroke?: string; encode?: { symbols?: { interactive?: boolean } } }>;
      const colour = legends.filter((legend) => legend.fill === 'color' || legend.stroke === 'color');
      expect(colour.length, figure.id).toBeGreaterThan(0);
      for (const legend of colour) expect(legend.encode?.symbols?.interactive, figure.id).toBe(true);
    }
  });

  it('leaves out figures without data (no compression results, no rows yet)', () => {
    const data = syntheticReportData();
    for (const trial of data.trials) trial.compression = [];
    expect(figureById(data).has('compression')).toBe(false);
    const empty = syntheticReportData({ statuses: Array(8).fill('queued') });
    expect(reportFigures(empty)).toEqual([]);
  });

  it('draws λ = 0 at its own position: points there, no line through it, a break rule before the positive λ', () => {
    const spec = figureById().get('numerical-rank')?.spec as unknown as Layered;
    const zeroPoints = spec.data.values.filter((p) => p.lambda === 0);
    expect(zeroPoints.length).toBe(2 * 3); // 2 seeds × 3 layers
    for (const point of zeroPoints) expect(point.position).toBeCloseTo(1e-5, 18);
    const line = spec.layer.find((layer) => layer.mark.type === 'line');
    expect(line?.transform).toEqual([{ filter: "datum.lambda > 0 && datum.state === 'finished'" }]);
    const rules = spec.layer.filter((layer) => layer.mark.type === 'rule');
    const breakRule = rules.find((layer) => layer.encoding.x?.datum !== undefined);
    expect(breakRule?.encoding.x.datum).toBeGreaterThan(1e-5);
    expect(breakRule?.encoding.x.datum).toBeLessThan(1e-4);
  });

  it('marks K with a horizontal rule on the rank figure', () => {
    const spec = figureById().get('numerical-rank')?.spec as unknown as Layered;
    const kRule = spec.layer.find((layer) => layer.mark.type === 'rule' && layer.encoding.y?.datum !== undefined);
    expect(kRule?.encoding.y.datum).toBe(10);
  });

  it('plots the latest checkpoint of a running trial and labels its status', () => {
    const data = syntheticReportData({ statuses: ['running', 'done', 'done', 'done', 'done', 'done', 'done', 'done'] });
    const trial = data.trials[0];
    trial.layers = [...trial.layers.map((row) => ({ ...row, epoch: 1, numericalRank: 999 })), ...trial.layers];
    const spec = figureById(data).get('numerical-rank')?.spec as unknown as Layered;
    const points = spec.data.values.filter((p) => p.trial === trial.key);
    expect(points.map((p) => p.value)).not.toContain(999);
    expect(points.every((p) => p.status === 'running' && p.state === 'unfinished' && p.epoch === 2)).toBe(true);
    // Drawn as triangles and kept off the mean lines, which join finished trials only.
    const layered = spec as unknown as { layer: Array<{ mark: { type: string }; encoding: { shape?: { field: string } } }> };
    expect(layered.layer.find((layer) => layer.mark.type === 'point')?.encoding.shape?.field).toBe('state');
  });

  it('omits λ = 0 from the certificate chain, where the decomposition divides by zero', () => {
    const spec = figureById().get('projected-chain')?.spec as unknown as { data: { values: LambdaPoint[] } };
    expect(spec.data.values.some((p) => p.lambda === 0)).toBe(false);
    // τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖ in the fixture: the four links of one row come in that order.
    const row = spec.data.values.filter((p) => p.trial === 'trial02' && p.panel === 'dense0').map((p) => p.value);
    expect(row).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
  });

  it('uses one panel per layer and group when the sweep has several groups', () => {
    const data = syntheticReportData({ lambdas: [1e-3], seeds: [0, 1] });
    data.trials[1].group = 'mlp 32';
    const spec = figureById(data).get('projected-chain')?.spec as unknown as { data: { values: LambdaPoint[] } };
    expect(new Set(spec.data.values.map((p) => p.panel))).toEqual(new Set(['mlp 64-64 · dense0', 'mlp 64-64 · dense1', 'mlp 32 · dense0', 'mlp 32 · dense1']));
  });
});
