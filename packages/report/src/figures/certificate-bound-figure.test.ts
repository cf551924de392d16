import { describe, expect, it } from 'vitest';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import { boundPoints, certificateBoundFigure, diagonalLine } from './certificate-bound-figure.js';

describe('boundPoints', () => {
  it('multiplies τ_K and tcvBound by λ, which leaves max‖δ‖·TCV/N on the x axis', () => {
    const data = syntheticReportData({ lambdas: [1e-3], seeds: [0] });
    const row = data.trials[0].layers[0];
    // Independent of the figure code: tcvBound = max‖δ‖·TCV/(λN); take max‖δ‖·TCV/N = 1.7 and λ = 1e-3.
    row.tcvBound = 1.7 / 1e-3;
    const points = boundPoints(data);
    const first = points.find((p) => p.layer === row.layer);
    expect(first?.x).toBeCloseTo(1.7, 12);
    expect(first?.y).toBeCloseTo(1e-3 * row.tailK!, 15);
    expect(first?.ratio).toBeCloseTo((1e-3 * row.tailK!) / 1.7, 12);
  });

  it('leaves out λ = 0, rows without a bound (conv) and zero tails (not drawable on log axes)', () => {
    const data = syntheticReportData({ lambdas: [0, 1e-2], seeds: [0] });
    data.trials[1].layers[0].tcvBound = null;
    const points = boundPoints(data);
    expect(points.every((p) => p.lambda === 1e-2)).toBe(true);
    // dense0 lost its bound; dense2 has τ_K = 0 in the fixture: only dense1 remains.
    expect(points.map((p) => p.layer)).toEqual(['dense1']);
  });

  it('uses the latest checkpoint of a trial only', () => {
    const data = syntheticReportData({ lambdas: [1e-3], seeds: [0] });
    const trial = data.trials[0];
    trial.layers = [...trial.layers.map((row) => ({ ...row, epoch: 1, tailK: 1000 })), ...trial.layers];
    expect(boundPoints(data).every((p) => p.y < 1)).toBe(true);
  });
});

describe('diagonalLine', () => {
  it('spans the smallest to the largest coordinate of both axes', () => {
    const base = { layer: 'a', lambda: 1, lambdaText: '1e+0', trial: 't', label: 't', epoch: 1, ratio: 1 };
    const line = diagonalLine([
      { ...base, x: 2, y: 0.01 },
      { ...base, x: 50, y: 3 },
    ]);
    expect(line).toEqual([
      { x: 0.01, y: 0.01 },
      { x: 50, y: 50 },
    ]);
  });

  it('draws the bound line as the first layer with equal x and y domains', () => {
    const figure = certificateBoundFigure(syntheticReportData());
    const spec = figure?.spec as unknown as { layer: Array<{ data: { values: Array<{ x: number; y: number }> }; encoding: Record<string, { scale?: { domain: number[] } }> }> };
    const [line] = spec.layer;
    for (const point of line.data.values) expect(point.x).toBe(point.y);
    expect(line.encoding.x.scale?.domain).toEqual(line.encoding.y.scale?.domain);
  });
});
