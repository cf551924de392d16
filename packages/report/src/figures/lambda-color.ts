/** Colour by λ: an ordered scale (viridis) over the λ values present, labelled by `formatLambda`. */
import type { ReportData } from '../report-data.js';
import { LEGEND_PARAM } from './lambda-chart.js';
import { formatLambda } from './lambda-scale.js';

/** The λ values of the data, ascending and distinct, as legend labels. */
export function lambdaLegendOrder(data: ReportData): string[] {
  return [...new Set(data.trials.map((trial) => trial.config.weightDecay))].sort((a, b) => a - b).map(formatLambda);
}

/** Encoding channel `color` for a field holding `formatLambda(λ)`. */
export function lambdaColor(data: ReportData, field = 'lambdaText'): object {
  const domain = lambdaLegendOrder(data);
  return { field, type: 'ordinal', title: 'λ', sort: domain, scale: { domain, scheme: 'viridis' } };
}

/**
 * One trial per (group, λ): the one with the lowest seed, so figures drawing a line per trial stay readable
 * with many seeds. Returns trial keys.
 */
export function oneSeedPerLambda(data: ReportData): Set<string> {
  const chosen = new Map<string, { key: string; seed: number }>();
  for (const trial of data.trials) {
    const id = `${trial.group}\u0000${trial.config.weightDecay}`;
    const current = chosen.get(id);
    if (!current || trial.config.seed < current.seed) chosen.set(id, { key: trial.key, seed: trial.config.seed });
  }
  return new Set([...chosen.values()].map((entry) => entry.key));
}

/** Selection param that makes the λ legend clickable (Vega-Lite binds it from the first layer that draws the legend). */
export function lambdaLegendSelection(): object {
  return { name: LEGEND_PARAM, select: { type: 'point', fields: ['lambdaText'] }, bind: 'legend' };
}

/** A dashed vertical rule at x = K (a layer for rank axes); none when K is unknown. */
export function kRuleLayers(K: number | null): object[] {
  return K === null ? [] : [{ mark: { type: 'rule', color: '#555', strokeDash: [6, 4] }, encoding: { x: { datum: K, type: 'quantitative' } } }];
}
