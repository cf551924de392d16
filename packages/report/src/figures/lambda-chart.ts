/**
 * The common shape of the "metric against λ" figures: one line per series (layer, split…) through the mean over
 * seeds, a band over the range of the seeds when there are several, a point per trial with a tooltip, legend filtering, λ = 0 at its own position (see lambda-scale.ts),
 * optional horizontal reference rules and optional small multiples (one panel per `panel` value).
 */
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA } from './figure.js';
import type { LambdaScale } from './lambda-scale.js';

/** One plotted value of one trial. */
export interface LambdaPoint {
  lambda: number;
  /** Axis position of λ (`LambdaScale.position`). */
  position: number;
  lambdaText: string;
  /** Line the point belongs to (a layer name, a split…). */
  series: string;
  /** Trial group (model etc.); lines of different groups are drawn with different dashes. */
  group: string;
  /** Small-multiple panel, when the chart has panels. */
  panel?: string;
  value: number;
  trial: string;
  label: string;
  epoch: number | null;
  status: string;
  /** `finished` for done trials; others show an intermediate checkpoint and are drawn apart, off the lines. */
  state: PointState;
}

export type PointState = 'finished' | 'unfinished';

export interface LambdaChartOptions {
  title: string;
  points: LambdaPoint[];
  scale: LambdaScale;
  yTitle: string;
  /** Log-scaled y; non-positive values are dropped. Default false. */
  yLog?: boolean;
  yDomain?: [number, number];
  seriesTitle: string;
  /** Legend order of the series; default: order of first appearance. */
  seriesOrder?: string[];
  /** Horizontal reference rules (e.g. y = K). */
  rules?: Array<{ y: number; text: string }>;
  /** Panels per row when points carry `panel`. Default 4. */
  columns?: number;
  width?: number;
  height?: number;
}

/** Name of the legend-bound selection parameter of every figure. */
export const LEGEND_PARAM = 'legendPick';

/** Whether some finished series has more than one trial (seeds) at one λ > 0, in one group and panel. */
function hasRepeats(points: readonly LambdaPoint[]): boolean {
  const seen = new Set<string>();
  for (const p of points) {
    if (!(p.lambda > 0) || p.state !== 'finished') continue;
    const key = `${p.position}|${p.series}|${p.group}|${p.panel ?? ''}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Builds the spec; the caller has already checked that `points` is not empty. */
export function lambdaChart(options: LambdaChartOptions): TopLevelSpec {
  const { scale, yLog = false } = options;
  const points = yLog ? options.points.filter((p) => p.value > 0) : options.points;
  const groups = new Set(points.map((p) => p.group));
  const seriesOrder = options.seriesOrder ?? [...new Set(points.map((p) => p.series))];
  const faceted = points.some((p) => p.panel !== undefined);
  const x = {
    field: 'position',
    type: 'quantitative',
    title: 'weight decay λ',
    scale: { type: 'log', domain: scale.domain, nice: false },
    axis: {
      values: scale.ticks,
      labelExpr: scale.zeroPosition === null ? "format(datum.value, '.0e')" : `datum.value <= ${scale.zeroPosition * 1.001} ? '0' : format(datum.value, '.0e')`,
      grid: true,
    },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    title: options.yTitle,
    scale: { ...(yLog ? { type: 'log' } : { type: 'linear', zero: false }), ...(options.yDomain && { domain: options.yDomain }) },
  };
  const color = { field: 'series', type: 'nominal', title: options.seriesTitle, sort: seriesOrder };
  const dash = groups.size > 1 ? { strokeDash: { field: 'group', type: 'nominal', title: 'group' } } : {};
  // Unfinished trials (running, failed, diverged) show a checkpoint that may not be final: triangles, off the lines.
  const mixed = points.some((p) => p.state === 'unfinished');
  const shape = mixed
    ? { shape: { field: 'state', type: 'nominal', title: 'trial', scale: { domain: ['finished', 'unfinished'], range: ['circle', 'triangle-up'] } } }
    : {};
  const opacity = { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.12 };
  const layers: object[] = [];
  if (scale.breakPosition !== null) {
    layers.push({ mark: { type: 'rule', color: '#999', strokeDash: [2, 3] }, encoding: { x: { datum: scale.breakPosition, type: 'quantitative' } } });
  }
  for (const rule of options.rules ?? []) {
    layers.push({
      mark: { type: 'rule', color: '#555', strokeDash: [6, 4] },
      encoding: { y: { datum: rule.y, type: 'quantitative' }, tooltip: { value: rule.text } },
    });
    layers.push({
      mark: { type: 'text', align: 'left', dx: 3, dy: -6, color: '#555', fontSize: 11 },
      encoding: { x: { datum: scale.domain[0], type: 'quantitative' }, y: { datum: rule.y, type: 'quantitative' }, text: { value: rule.text } },
    });
  }
  layers.push({
    transform: [{ filter: "datum.lambda > 0 && datum.state === 'finished'" }],
    // Vega-Lite makes the legend interactive only from the first layer that draws it: the param lives here.
    params: [{ name: LEGEND_PARAM, select: { type: 'point', fields: ['series'] }, bind: 'legend' }],
    mark: { type: 'line', strokeWidth: 2 },
    encoding: { x, y: { ...y, aggregate: 'mean' }, color, detail: { field: 'group' }, ...dash, opacity },
  });
  // Several seeds at a λ: after the mean line (the legend's param lives on the first layer drawing colour), a band from the smallest to the largest value over them (positive, so log axes keep it).
  if (hasRepeats(points)) {
    layers.push({
      transform: [
        { filter: "datum.lambda > 0 && datum.state === 'finished'" },
        { aggregate: [{ op: 'min', field: 'value', as: 'low' }, { op: 'max', field: 'value', as: 'high' }, { op: 'count', as: 'runs' }], groupby: ['position', 'series', 'group', ...(faceted ? ['panel'] : [])] },
        { filter: 'datum.runs > 1' },
      ],
      mark: { type: 'area' },
      encoding: {
        x,
        y: { field: 'low', type: 'quantitative', title: options.yTitle, scale: y.scale },
        y2: { field: 'high' },
        color,
        detail: { field: 'group' },
        opacity: { condition: { param: LEGEND_PARAM, value: 0.18, empty: true }, value: 0.03 },
      },
    });
  }
  layers.push({
    mark: { type: 'point', filled: true, size: 45 },
    encoding: {
      x,
      y,
      color,
      ...shape,
      opacity,
      tooltip: [
        { field: 'label', title: 'trial' },
        { field: 'series', title: options.seriesTitle },
        { field: 'lambdaText', title: 'λ' },
        { field: 'value', title: options.yTitle, format: VALUE_FORMAT },
        { field: 'epoch', title: 'epoch' },
        { field: 'status', title: 'status' },
      ],
    },
  });
  const size = { width: options.width ?? (faceted ? 230 : 460), height: options.height ?? (faceted ? 180 : 280) };
  const base = { $schema: VEGA_LITE_SCHEMA, title: options.title, config: FIGURE_CONFIG, data: { values: points } };
  if (!faceted) return { ...base, ...size, layer: layers } as TopLevelSpec;
  return {
    ...base,
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...new Set(points.map((p) => p.panel))] },
    columns: options.columns ?? 4,
    spec: { ...size, layer: layers },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
