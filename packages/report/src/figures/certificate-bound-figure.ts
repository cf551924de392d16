import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../report-data.js';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { formatLambda } from './lambda-scale.js';
import { layerOrder, latestLayerRows } from './layer-points.js';

/** One dense layer of one trial (λ > 0): x = λ·tcvBound = max‖δ‖·TCV/N, y = λ·τ_K. */
export interface BoundPoint {
  x: number;
  y: number;
  layer: string;
  lambda: number;
  lambdaText: string;
  trial: string;
  label: string;
  epoch: number;
  /** y / x: how much of the worst-case bound τ_K uses. */
  ratio: number;
}

/**
 * Points of the bound figure. Rows store tcvBound = max‖δ‖·TCV/(λN), so both axes are multiplied by λ, which
 * removes the 1/λ and leaves the data-only term max‖δ‖·TCV/N. Rows without a bound (conv layers, λ = 0) and
 * non-positive values (not drawable on log axes) are left out.
 */
export function boundPoints(data: ReportData): BoundPoint[] {
  const points: BoundPoint[] = [];
  for (const trial of data.trials) {
    const lambda = trial.config.weightDecay;
    if (!(lambda > 0)) continue;
    for (const row of latestLayerRows(trial)) {
      if (typeof row.tcvBound !== 'number' || typeof row.tailK !== 'number') continue;
      const x = lambda * row.tcvBound;
      const y = lambda * row.tailK;
      if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) continue;
      points.push({ x, y, layer: row.layer, lambda, lambdaText: formatLambda(lambda), trial: trial.key, label: trial.label, epoch: row.epoch, ratio: y / x });
    }
  }
  return points;
}

/** The diagonal y = x across the extent of the points (both axes), as its two end points. */
export function diagonalLine(points: readonly BoundPoint[]): Array<{ x: number; y: number }> {
  let low = Infinity;
  let high = -Infinity;
  for (const p of points) {
    low = Math.min(low, p.x, p.y);
    high = Math.max(high, p.x, p.y);
  }
  return [
    { x: low, y: low },
    { x: high, y: high },
  ];
}

/** λ·τ_K against max‖δ‖·TCV/N with the line y = x of the bound (log-log); null without dense certificate rows. */
export function certificateBoundFigure(data: ReportData): Figure | null {
  const points = boundPoints(data);
  if (points.length === 0) return null;
  const line = diagonalLine(points);
  const logAxis = (title: string) => ({ type: 'quantitative', title, scale: { type: 'log', domain: [line[0].x, line[1].x] } });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'λ·τ_K vs max‖δ‖·TCV/N',
    config: FIGURE_CONFIG,
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: line },
        mark: { type: 'line', color: '#555', strokeDash: [6, 4] },
        encoding: { x: { field: 'x', ...logAxis('max‖δ‖ · TCV / N  (= λ · tcvBound)') }, y: { field: 'y', ...logAxis('λ · τ_K') } },
      },
      {
        data: { values: line.slice(1) },
        mark: { type: 'text', align: 'right', dx: -4, dy: -8, color: '#555', fontSize: 11 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { value: 'y = x (bound)' } },
      },
      {
        data: { values: points },
        params: [{ name: LEGEND_PARAM, select: { type: 'point', fields: ['layer'] }, bind: 'legend' }],
        mark: { type: 'point', filled: true, size: 55 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'layer', type: 'nominal', title: 'layer', sort: layerOrder(data) },
          opacity: { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.12 },
          tooltip: [
            { field: 'label', title: 'trial' },
            { field: 'layer', title: 'layer' },
            { field: 'lambdaText', title: 'λ' },
            { field: 'y', title: 'λ·τ_K', format: VALUE_FORMAT },
            { field: 'x', title: 'max‖δ‖·TCV/N', format: VALUE_FORMAT },
            { field: 'ratio', title: 'ratio', format: VALUE_FORMAT },
          ],
        },
      },
    ],
  };
  return {
    id: 'certificate-bound',
    title: 'The worst-case bound: λ·τ_K against max‖δ‖·TCV/N',
    description:
      'Each point is a dense layer of one trial. At a stationary point τ_K ≤ max‖δ‖·TCV/(λN), so points lie below the dashed line y = x; ' +
      'points above it mean the stationarity residual ‖R‖ is not yet small. The bound is a worst case and is usually loose by orders of magnitude.',
    spec: spec as TopLevelSpec,
  };
}
