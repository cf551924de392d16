import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import type { ReportData } from '../report-data.js';
import { logLogFit } from './log-log-fit.js';
import { proportionalityFigure, proportionalityFits, proportionalityPoints } from './proportionality-figure.js';
import { relativeTailFigure } from './relative-tail-figure.js';
import { stationarityFigure } from './stationarity-figure.js';

/** Synthetic rows given per-sample terms with a known power law: λ·sampleBound = c·(λ·τ_K)^(1/b). */
function withSampleTerms(data: ReportData, slope: number): ReportData {
  for (const trial of data.trials) {
    const lambda = trial.config.weightDecay;
    for (const row of trial.layers) {
      if (!(lambda > 0) || !(row.tailK! > 0)) continue;
      // y = λτ_K, x = λ·sampleBound with y = 0.1·x^slope  ⇒  x = (10·y)^(1/slope).
      const x = (10 * lambda * row.tailK!) ** (1 / slope);
      row.sampleBound = x / lambda;
      row.dualSampleBound = (2 * x) / lambda;
    }
  }
  return data;
}

describe('proportionalityPoints and fits', () => {
  it('multiplies by λ, keeps hidden layers with min(m, n) > K and recovers a planted slope', () => {
    const data = withSampleTerms(syntheticReportData({ lambdas: [0, 1e-3, 1e-2], seeds: [0, 1, 2] }), 0.8);
    const points = proportionalityPoints(data);
    // λ = 0 is left out, and dense2 (10 × 64, the classifier) too: 2 λ × 3 seeds × 2 layers per form.
    expect(points.every((p) => p.lambda > 0 && p.layer !== 'dense2')).toBe(true);
    expect(points.filter((p) => p.form === 'Σ‖δ_i‖‖e_i‖/N')).toHaveLength(12);
    const row = data.trials.find((t) => t.config.weightDecay === 1e-2 && t.config.seed === 0)!.layers.find((r) => r.layer === 'dense1')!;
    const point = points.find((p) => p.form === 'Σ‖δ_i‖‖e_i‖/N' && p.lambda === 1e-2 && p.layer === 'dense1' && p.seed === 0)!;
    expect(point.x).toBeCloseTo(1e-2 * row.sampleBound!, 12);
    expect(point.y).toBeCloseTo(1e-2 * row.tailK!, 12);
    const fits = new Map(proportionalityFits(points).map(({ form, fit }) => [form, fit]));
    expect(fits.get('Σ‖δ_i‖‖e_i‖/N')!.slope).toBeCloseTo(0.8, 10);
    expect(fits.get('Σ‖δ_i‖‖e_i‖/N')!.rSquared).toBeCloseTo(1, 10);
    expect(fits.get('Σ‖r_i‖‖h_i‖/N')!.slope).toBeCloseTo(0.8, 10);
    // TCV/N = λ·tcvBound/max‖δ‖ (tcvBound = max‖δ‖·TCV/(λN)).
    const tcvPoint = points.find((p) => p.form === 'TCV/N (input)' && p.trial === point.trial && p.layer === 'dense1')!;
    expect(tcvPoint.x).toBeCloseTo((1e-2 * row.tcvBound!) / row.deltaMaxNorm!, 12);
    const tcv = fits.get('TCV/N (input)')!;
    expect(logLogFit(points.filter((p) => p.form === 'TCV/N (input)'))).toEqual(tcv);
  });

  it('is null for rows without per-sample terms, and compiles otherwise', () => {
    expect(proportionalityFigure(syntheticReportData())).toBeNull();
    const figure = proportionalityFigure(withSampleTerms(syntheticReportData({ lambdas: [1e-3, 1e-2], seeds: [0, 1] }), 1.2))!;
    expect(() => compile(figure.spec)).not.toThrow();
  });
});

describe('stationarityFigure and seed bands', () => {
  it('plots ‖R‖/‖W‖ for λ > 0 with the 0.05 rule', () => {
    const data = syntheticReportData({ lambdas: [0, 1e-3], seeds: [0] });
    const spec = stationarityFigure(data)!.spec as unknown as { data: { values: Array<{ lambda: number; value: number; series: string }> } };
    const row = data.trials[1].layers.find((r) => r.layer === 'dense0')!;
    const point = spec.data.values.find((p) => p.series === 'dense0')!;
    expect(spec.data.values.every((p) => p.lambda > 0)).toBe(true);
    expect(point.value).toBeCloseTo(row.normR! / row.frobeniusNorm, 14);
    expect(JSON.stringify(spec)).toContain('target 0.05');
  });

  it('draws a min–max band over seeds only when a λ has several finished trials', () => {
    const layersOf = (data: ReportData) => (relativeTailFigure(data)!.spec as unknown as { layer: Array<{ mark: { type: string } | string }> }).layer;
    const isBand = (l: { mark: { type: string } | string }) => (typeof l.mark === 'string' ? l.mark : l.mark.type) === 'area';
    expect(layersOf(syntheticReportData({ lambdas: [1e-3, 1e-2], seeds: [0] })).some(isBand)).toBe(false);
    const seeded = syntheticReportData({ lambdas: [1e-3, 1e-2], seeds: [0, 1, 2] });
    expect(layersOf(seeded).some(isBand)).toBe(true);
    expect(() => compile(relativeTailFigure(seeded)!.spec)).not.toThrow();
  });
});
