import type { TopLevelSpec } from 'vega-lite';
import type { ReportData, ReportLayerRow } from '../report-data.js';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { formatLambda } from './lambda-scale.js';
import { layerOrder, latestLayerRows } from './layer-points.js';
import { logLogFit, type LogLogFit } from './log-log-fit.js';

/**
 * The data-only terms λ·τ_K is set against (science.md §2; each is λ times a bound on ‖E‖_F, so the 1/λ is gone):
 * the TCV of the layer input per sample, the per-sample sum, and their backward-signal (dual) forms.
 */
export const PROPORTIONALITY_FORMS = [
  { id: 'input-tcv', label: 'TCV/N (input)', pick: (r: ReportLayerRow) => ratio(r.tcvBound, r.deltaMaxNorm) },
  { id: 'sample', label: 'Σ‖δ_i‖‖e_i‖/N', pick: (r: ReportLayerRow) => r.sampleBound },
  { id: 'delta-tcv', label: 'TCV_δ/N (backward)', pick: (r: ReportLayerRow) => ratio(r.dualTcvBound, r.inputMaxNorm) },
  { id: 'dual-sample', label: 'Σ‖r_i‖‖h_i‖/N', pick: (r: ReportLayerRow) => r.dualSampleBound },
] as const;

/** TCV/N from tcvBound = max‖δ‖·TCV/(λN): divide by max‖δ‖ (λ is multiplied in by the caller). */
function ratio(bound: number | null | undefined, norm: number | null | undefined): number | null {
  return typeof bound === 'number' && typeof norm === 'number' && norm > 0 ? bound / norm : null;
}

/** One layer of one trial in one form: x = λ·(the form's bound), y = λ·τ_K. */
export interface ProportionalityPoint {
  form: string;
  x: number;
  y: number;
  layer: string;
  lambda: number;
  lambdaText: string;
  seed: number;
  trial: string;
  label: string;
  epoch: number;
}

/**
 * Points of every finished trial's latest checkpoint with λ > 0, dense layers whose τ_K can be non-zero
 * (min(m, n) > K: the classifier, K×n, is rank ≤ K by shape and left out), in rows that carry the per-sample
 * terms (analyses before them lack `sampleBound`; such rows give no point in any form, so all forms use the same
 * rows). Points with x or y ≤ 0 are left out (log axes).
 */
export function proportionalityPoints(data: ReportData): ProportionalityPoint[] {
  const points: ProportionalityPoint[] = [];
  for (const trial of data.trials) {
    const lambda = trial.config.weightDecay;
    if (!(lambda > 0) || trial.status !== 'done') continue;
    for (const row of latestLayerRows(trial)) {
      if (row.kind !== 'dense' || typeof row.tailK !== 'number' || row.K === null) continue;
      if (Math.min(row.rows, row.cols) <= row.K || typeof row.sampleBound !== 'number') continue;
      for (const form of PROPORTIONALITY_FORMS) {
        const value = form.pick(row);
        if (typeof value !== 'number') continue;
        const [x, y] = [lambda * value, lambda * row.tailK];
        if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) continue;
        const base = { layer: row.layer, lambda, lambdaText: formatLambda(lambda), seed: trial.config.seed, trial: trial.key, label: trial.label, epoch: row.epoch };
        points.push({ form: form.label, x, y, ...base });
      }
    }
  }
  return points;
}

/** The log–log fit of λ·τ_K on each form, across λ, layers and seeds (forms without two usable points are left out). */
export function proportionalityFits(points: readonly ProportionalityPoint[]): Array<{ form: string; fit: LogLogFit }> {
  const out: Array<{ form: string; fit: LogLogFit }> = [];
  for (const form of PROPORTIONALITY_FORMS) {
    const fit = logLogFit(points.filter((p) => p.form === form.label));
    if (fit) out.push({ form: form.label, fit });
  }
  return out;
}

/** "slope 0.93 [0.85, 1.01], R² 0.95, n 45". */
export function describeFit(fit: LogLogFit): string {
  const f = (v: number) => v.toPrecision(3);
  const interval = fit.slopeInterval ? ` [${f(fit.slopeInterval[0])}, ${f(fit.slopeInterval[1])}]` : '';
  return `slope ${f(fit.slope)}${interval}, R² ${fit.rSquared === null ? '—' : f(fit.rSquared)}, n ${fit.n}`;
}

/** λ·τ_K against each data-only term, one panel per form, with its log–log fit; null without per-sample rows. */
export function proportionalityFigure(data: ReportData): Figure | null {
  const points = proportionalityPoints(data);
  if (points.length === 0) return null;
  const fits = proportionalityFits(points);
  const lines = fits.flatMap(({ form, fit }) => {
    const xs = points.filter((p) => p.form === form).map((p) => p.x);
    const [low, high] = [Math.min(...xs), Math.max(...xs)];
    return [low, high].map((x) => ({ form, x, y: 10 ** (fit.intercept + fit.slope * Math.log10(x)), kind: 'fit' as const }));
  });
  const titles = new Map(fits.map(({ form, fit }) => [form, `${form}: ${describeFit(fit)}`]));
  const values = [...points.map((p) => ({ ...p, kind: 'point' as const })), ...lines].map((v) => ({ ...v, panel: titles.get(v.form) ?? v.form }));
  const log = { type: 'log' } as const;
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'λ·τ_K vs the within-class terms of science.md §2 (log–log, fitted)',
    config: FIGURE_CONFIG,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...titles.values()] },
    columns: 2,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 300,
      height: 240,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'fit'" }],
          mark: { type: 'line', color: '#444', strokeDash: [6, 4] },
          encoding: { x: { field: 'x', type: 'quantitative', scale: log, title: 'λ · bound on ‖E‖ (data-only term)' }, y: { field: 'y', type: 'quantitative', scale: log, title: 'λ · τ_K' } },
        },
        {
          transform: [{ filter: "datum.kind === 'point'" }],
          params: [{ name: LEGEND_PARAM, select: { type: 'point', fields: ['layer'] }, bind: 'legend' }],
          mark: { type: 'point', filled: true, size: 45 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: log },
            y: { field: 'y', type: 'quantitative', scale: log },
            color: { field: 'layer', type: 'nominal', title: 'layer', sort: layerOrder(data) },
            shape: { field: 'lambdaText', type: 'nominal', title: 'λ' },
            opacity: { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.12 },
            tooltip: [
              { field: 'label', title: 'trial' },
              { field: 'layer', title: 'layer' },
              { field: 'lambdaText', title: 'λ' },
              { field: 'seed', title: 'seed' },
              { field: 'y', title: 'λ·τ_K', format: VALUE_FORMAT },
              { field: 'x', title: 'λ·bound', format: VALUE_FORMAT },
            ],
          },
        },
      ],
    },
  };
  return {
    id: 'proportionality',
    title: 'The proportionality: λ·τ_K against the within-class variability terms',
    description:
      'Each point is a hidden dense layer of one finished trial (latest checkpoint, λ > 0); each panel one data-only term, with the least-squares line of ' +
      'log λ·τ_K on log x across λ, layers and seeds (slope with its 95 % interval, R²). A slope near 1 with a high R² is proportionality; the certificate ' +
      'alone only says λ·τ_K ≤ x + λ‖R‖.',
    spec: spec as unknown as TopLevelSpec,
  };
}
