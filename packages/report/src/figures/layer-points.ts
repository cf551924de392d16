/** Turns the latest checkpoint of every trial into tidy points for the "against λ" figures. */
import type { ReportData, ReportLayerRow, ReportTrial } from '../report-data.js';
import type { LambdaPoint } from './lambda-chart.js';
import { formatLambda, lambdaScale, type LambdaScale } from './lambda-scale.js';

/** What a figure extracts from one layer row: zero or more values, each on a line (`series`) and maybe a panel. */
export type RowPick = (row: ReportLayerRow, trial: ReportTrial) => Array<{ series: string; value: number | null | undefined; panel?: string }>;

/**
 * Rows of the trial's latest analysed checkpoint (a running trial shows its newest results), by layer index.
 * Returns [] when the trial has no rows yet.
 */
export function latestLayerRows(trial: ReportTrial): ReportLayerRow[] {
  let latest = -Infinity;
  for (const row of trial.layers) latest = Math.max(latest, row.epoch);
  return trial.layers.filter((row) => row.epoch === latest).sort((a, b) => a.index - b.index);
}

/** The λ scale of all trials of the data. */
export function scaleOf(data: ReportData): LambdaScale {
  return lambdaScale(data.trials.map((trial) => trial.config.weightDecay));
}

/** Whether the data holds more than one trial group (then panels and legends name the group). */
export function hasSeveralGroups(data: ReportData): boolean {
  return new Set(data.trials.map((trial) => trial.group)).size > 1;
}

/** Panel title of a layer: its name, prefixed by the group when several groups are shown. */
export function layerPanel(data: ReportData, trial: ReportTrial, row: ReportLayerRow): string {
  return hasSeveralGroups(data) ? `${trial.group} · ${row.layer}` : row.layer;
}

/** A point of `trial` at λ with the given series and value (value must be finite). */
export function lambdaPoint(trial: ReportTrial, scale: LambdaScale, series: string, value: number, epoch: number | null, panel?: string): LambdaPoint {
  const lambda = trial.config.weightDecay;
  return {
    lambda,
    position: scale.position(lambda),
    lambdaText: formatLambda(lambda),
    series,
    group: trial.group,
    ...(panel !== undefined && { panel }),
    value,
    trial: trial.key,
    label: trial.label,
    epoch,
    status: trial.status,
    state: trial.status === 'done' ? 'finished' : 'unfinished',
  };
}

/** Applies `pick` to the latest rows of every trial and keeps the finite values. */
export function layerPoints(data: ReportData, scale: LambdaScale, pick: RowPick): LambdaPoint[] {
  const points: LambdaPoint[] = [];
  for (const trial of data.trials) {
    for (const row of latestLayerRows(trial)) {
      for (const { series, value, panel } of pick(row, trial)) {
        if (typeof value === 'number' && Number.isFinite(value)) points.push(lambdaPoint(trial, scale, series, value, row.epoch, panel));
      }
    }
  }
  return points;
}

/** Layer names in analysis order (by index, first appearance), for legend order. */
export function layerOrder(data: ReportData): string[] {
  const byIndex = new Map<string, number>();
  for (const trial of data.trials) for (const row of trial.layers) if (!byIndex.has(row.layer)) byIndex.set(row.layer, row.index);
  return [...byIndex.entries()].sort((a, b) => a[1] - b[1]).map(([layer]) => layer);
}

/** The number of classes K of the rows (the most common value), or null without rows. */
export function classCount(data: ReportData): number | null {
  const counts = new Map<number, number>();
  for (const trial of data.trials) for (const row of trial.layers) if (row.K !== null && Number.isFinite(row.K)) counts.set(row.K, (counts.get(row.K) ?? 0) + 1);
  let best: number | null = null;
  for (const [K, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = K;
  return best;
}
