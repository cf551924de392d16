import type { TopLevelSpec } from 'vega-lite';
import type { ReportData, ReportTrial } from '../report-data.js';
import { FIGURE_CONFIG, VALUE_FORMAT, VEGA_LITE_SCHEMA, type Figure } from './figure.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { kRuleLayers, lambdaColor, lambdaLegendSelection, oneSeedPerLambda } from './lambda-color.js';
import { formatLambda } from './lambda-scale.js';
import { classCount, hasSeveralGroups, latestLayerRows } from './layer-points.js';

/** One normalized singular value σ_j/σ_1 of one layer of one trial. */
export interface SpectrumPoint {
  panel: string;
  j: number;
  value: number;
  lambda: number;
  lambdaText: string;
  trial: string;
  label: string;
}

/** Singular values of a layer at the trial's latest analysed checkpoint: the spectra table, else the row's own. */
function latestSpectra(trial: ReportTrial): Array<{ layer: string; values: readonly number[] }> {
  const rows = latestLayerRows(trial);
  return rows.flatMap((row) => {
    const stored = trial.spectra.find((s) => s.epoch === row.epoch && s.layerIndex === row.index);
    const values = stored?.singularValues ?? row.singularValues;
    return values && values.length > 0 ? [{ layer: row.layer, values }] : [];
  });
}

/**
 * Points of the spectra figure: σ_j/σ_1 for j = 1.. (zeros and non-finite values dropped, since the axis is
 * logarithmic), one trial per (group, λ).
 */
export function spectrumPoints(data: ReportData): SpectrumPoint[] {
  const keep = oneSeedPerLambda(data);
  const several = hasSeveralGroups(data);
  const points: SpectrumPoint[] = [];
  for (const trial of data.trials) {
    if (!keep.has(trial.key)) continue;
    for (const { layer, values } of latestSpectra(trial)) {
      const top = values[0];
      if (!(top > 0)) continue;
      const panel = several ? `${trial.group} · ${layer}` : layer;
      values.forEach((sigma, i) => {
        const value = sigma / top;
        if (value > 0 && Number.isFinite(value)) {
          const lambda = trial.config.weightDecay;
          points.push({ panel, j: i + 1, value, lambda, lambdaText: formatLambda(lambda), trial: trial.key, label: trial.label });
        }
      });
    }
  }
  return points;
}

/** Normalized singular-value spectra per layer coloured by λ, j = K marked; null without spectra. */
export function singularSpectraFigure(data: ReportData): Figure | null {
  const points = spectrumPoints(data);
  if (points.length === 0) return null;
  const K = classCount(data);
  const layers: object[] = kRuleLayers(K);
  layers.push({
    params: [lambdaLegendSelection()],
    mark: { type: 'line', strokeWidth: 1.5, point: { size: 12, filled: true } },
    encoding: {
      x: { field: 'j', type: 'quantitative', title: 'index j', scale: { type: 'log' } },
      y: { field: 'value', type: 'quantitative', title: 'σ_j / σ_1', scale: { type: 'log' } },
      color: lambdaColor(data),
      detail: { field: 'trial' },
      opacity: { condition: { param: LEGEND_PARAM, value: 1, empty: true }, value: 0.08 },
      tooltip: [
        { field: 'label', title: 'trial' },
        { field: 'panel', title: 'layer' },
        { field: 'j', title: 'j' },
        { field: 'value', title: 'σ_j/σ_1', format: VALUE_FORMAT },
      ],
    },
  });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Normalized singular values per layer',
    config: FIGURE_CONFIG,
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...new Set(points.map((p) => p.panel))] },
    columns: 4,
    spec: { width: 230, height: 180, layer: layers },
    resolve: { scale: { y: 'independent' } },
  };
  return {
    id: 'singular-spectra',
    title: 'Normalized singular-value spectra',
    description:
      'σ_j/σ_1 of each layer at the latest checkpoint (one seed per λ), log–log; the dashed rule marks j = K. ' +
      'With growing λ the spectrum drops after the first K values.',
    spec: spec as TopLevelSpec,
  };
}
