import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../report-data.js';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { kRuleLayers, lambdaColor, lambdaLegendSelection } from './lambda-color.js';
import { formatLambda } from './lambda-scale.js';
import { classCount } from './layer-points.js';

/** Accuracy after rank-r truncation against r, one line per trial coloured by λ; null without compression results. */
export function compressionFigure(data: ReportData): Figure | null {
  const points = data.trials.flatMap((trial) =>
    trial.compression
      .filter((c) => Number.isFinite(c.rank) && Number.isFinite(c.accuracy))
      .map((c) => ({
        rank: c.rank,
        accuracy: c.accuracy,
        panel: `${c.layer ?? 'all dense layers'} · ${c.split ?? 'test'}`,
        lambdaText: formatLambda(trial.config.weightDecay),
        trial: trial.key,
        label: trial.label,
        paramsAfter: c.paramsAfter ?? null,
      })),
  );
  if (points.length === 0) return null;
  const K = classCount(data);
  const layers: object[] = kRuleLayers(K);
  layers.push({
    params: [lambdaLegendSelection()],
    mark: { type: 'line', point: { filled: true, size: 40 } },
    encoding: {
      x: { field: 'rank', type: 'quantitative', title: 'rank r kept', scale: { type: 'log' } },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy after truncation', scale: { zero: false } },
      color: lambdaColor(data),
      detail: { field: 'trial' },
      opacity: { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.1 },
      tooltip: [
        { field: 'label', title: 'trial' },
        { field: 'rank', title: 'r' },
        { field: 'accuracy', title: 'accuracy', format: VALUE_FORMAT },
        { field: 'paramsAfter', title: 'parameters after' },
      ],
    },
  });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Accuracy after rank-r truncation',
    config: FIGURE_CONFIG,
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', title: null },
    columns: 3,
    spec: { width: 300, height: 220, layer: layers },
  };
  return {
    id: 'compression',
    title: 'Accuracy after rank-r truncation against r',
    description: 'Each W replaced by its best rank-r approximation; the dashed rule marks r = K. Collapsed networks keep their accuracy down to r ≈ K.',
    spec: spec as TopLevelSpec,
  };
}
