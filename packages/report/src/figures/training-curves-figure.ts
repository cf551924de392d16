import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../report-data.js';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { lambdaColor, lambdaLegendSelection, oneSeedPerLambda } from './lambda-color.js';
import { formatLambda } from './lambda-scale.js';

const CURVES = [
  ['train loss', 'trainLoss'],
  ['train accuracy', 'trainAccuracy'],
  ['test accuracy', 'testAccuracy'],
] as const;

/** Train loss, train accuracy and test accuracy against epoch, one line per trial (one seed per λ); null without epochs. */
export function trainingCurvesFigure(data: ReportData): Figure | null {
  const keep = oneSeedPerLambda(data);
  const several = new Set(data.trials.map((t) => t.group)).size > 1;
  const points = data.trials
    .filter((trial) => keep.has(trial.key))
    .flatMap((trial) =>
      trial.epochs.flatMap((epoch) =>
        CURVES.flatMap(([metric, field]) => {
          const value = epoch[field];
          if (typeof value !== 'number' || !Number.isFinite(value)) return [];
          return [{ panel: several ? `${trial.group} · ${metric}` : metric, epoch: epoch.epoch, value, lambdaText: formatLambda(trial.config.weightDecay), trial: trial.key, label: trial.label }];
        }),
      ),
    );
  if (points.length === 0) return null;
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Training curves',
    config: FIGURE_CONFIG,
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...new Set(points.map((p) => p.panel))] },
    columns: 3,
    spec: {
      width: 260,
      height: 190,
      layer: [
        {
          params: [lambdaLegendSelection()],
          mark: { type: 'line', point: { filled: true, size: 14 } },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
            y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
            color: lambdaColor(data),
            detail: { field: 'trial' },
            opacity: { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.1 },
            tooltip: [
              { field: 'label', title: 'trial' },
              { field: 'panel', title: 'metric' },
              { field: 'epoch', title: 'epoch' },
              { field: 'value', title: 'value', format: VALUE_FORMAT },
            ],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
  return {
    id: 'training-curves',
    title: 'Training curves',
    description: 'Per epoch, one seed per λ. Collapse is expected in the terminal phase: train accuracy near 100% and training continued.',
    spec: spec as TopLevelSpec,
  };
}
