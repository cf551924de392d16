/**
 * Figures of a checkpoint series (a user's own training run analyzed weights-only, checkpoint by checkpoint):
 * numerical rank and relative spectral tail τ_K/‖W‖_F of every layer against the checkpoint's step, so the
 * collapse of each layer over training shows as falling lines.
 */
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';

/** One layer of one checkpoint, as the figures need it. */
export interface CheckpointLayerPoint {
  readonly layer: string;
  readonly numericalRank: number | null;
  readonly stableRank: number | null;
  readonly relativeTailK: number | null;
}

/** A series as the figures need it: checkpoints in training order. */
export interface CheckpointSeriesData {
  /** K the tails are measured against, null when unknown (no tail figure then). */
  readonly K: number | null;
  readonly checkpoints: ReadonlyArray<{ readonly name: string; readonly step: number | null; readonly layers: readonly CheckpointLayerPoint[] }>;
}

interface Point {
  x: number;
  checkpoint: string;
  layer: string;
  value: number;
}

/**
 * The figures the series supports: numerical rank (with the rule y = K when K is known), stable rank, and the
 * relative tail (when K is known). The x axis is the step in the file names when every checkpoint has one,
 * else the checkpoint's position.
 */
export function checkpointSeriesFigures(series: CheckpointSeriesData): Figure[] {
  const bySteps = series.checkpoints.every((c) => c.step !== null) && new Set(series.checkpoints.map((c) => c.step)).size === series.checkpoints.length;
  const xTitle = bySteps ? 'step (from the file name)' : 'checkpoint (in order)';
  const layerOrder = [...new Set(series.checkpoints.flatMap((c) => c.layers.map((l) => l.layer)))];
  const points = (value: (l: CheckpointLayerPoint) => number | null): Point[] =>
    series.checkpoints.flatMap((c, i) =>
      c.layers.flatMap((l) => {
        const v = value(l);
        return v === null || !Number.isFinite(v) ? [] : [{ x: bySteps ? (c.step as number) : i + 1, checkpoint: c.name, layer: l.layer, value: v }];
      }),
    );
  const figures: Figure[] = [];
  const rank = points((l) => l.numericalRank);
  if (rank.length > 0) {
    figures.push({
      id: 'checkpoint-numerical-rank',
      title: 'Numerical rank of each layer over the checkpoints',
      description: `#{σ_j > 10⁻³·σ_1} of every weight matrix, checkpoint by checkpoint${series.K !== null ? `; the dashed rule is K = ${series.K}` : ''}. Collapse shows as lines falling toward K.`,
      spec: lineChart(rank, { xTitle, yTitle: 'numerical rank', layerOrder, rule: series.K, yLog: true }),
    });
  }
  const stable = points((l) => l.stableRank);
  if (stable.length > 0) {
    figures.push({
      id: 'checkpoint-stable-rank',
      title: 'Stable rank of each layer over the checkpoints',
      description: '‖W‖_F²/‖W‖_2², a rank that reacts to every singular value, not only to those above a tolerance.',
      spec: lineChart(stable, { xTitle, yTitle: 'stable rank ‖W‖_F²/‖W‖_2²', layerOrder, rule: null, yLog: true }),
    });
  }
  const tail = series.K === null ? [] : points((l) => l.relativeTailK);
  if (tail.length > 0) {
    figures.push({
      id: 'checkpoint-relative-tail',
      title: `Relative spectral tail τ_K/‖W‖_F over the checkpoints (K = ${series.K})`,
      description: 'The share of each weight matrix beyond its best rank-K approximation; it falls steadily as a layer collapses toward rank K.',
      spec: lineChart(tail, { xTitle, yTitle: 'τ_K / ‖W‖_F', layerOrder, rule: null, yLog: true }),
    });
  }
  return figures;
}

function lineChart(points: Point[], o: { xTitle: string; yTitle: string; layerOrder: string[]; rule: number | null; yLog: boolean }): TopLevelSpec {
  const values = o.yLog ? points.filter((p) => p.value > 0) : points;
  const line = {
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, title: o.xTitle },
      y: { field: 'value', type: 'quantitative' as const, title: o.yTitle, scale: o.yLog ? { type: 'log' as const } : {} },
      color: { field: 'layer', type: 'nominal' as const, title: 'layer', sort: o.layerOrder },
      tooltip: [
        { field: 'checkpoint', type: 'nominal' as const },
        { field: 'layer', type: 'nominal' as const },
        { field: 'value', type: 'quantitative' as const, format: VALUE_FORMAT, title: o.yTitle },
      ],
    },
  };
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [line];
  if (o.rule !== null) layers.push({ data: { values: [{ y: o.rule }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { field: 'y', type: 'quantitative' } } });
  return { $schema: VEGA_LITE_SCHEMA, config: FIGURE_CONFIG, width: 520, height: 300, data: { values }, layer: layers } as TopLevelSpec;
}
