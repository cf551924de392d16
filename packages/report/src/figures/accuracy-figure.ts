import type { ReportData, ReportEpoch } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart, type LambdaPoint } from './lambda-chart.js';
import { lambdaPoint, scaleOf } from './layer-points.js';

/** The last epoch of a trial where `field` was measured, or undefined. */
export function lastMeasured(epochs: readonly ReportEpoch[], field: keyof ReportEpoch): ReportEpoch | undefined {
  for (let i = epochs.length - 1; i >= 0; i--) if (typeof epochs[i][field] === 'number' && Number.isFinite(epochs[i][field])) return epochs[i];
  return undefined;
}

/** Final train and test accuracy against λ; null when no trial has an accuracy yet. */
export function accuracyFigure(data: ReportData): Figure | null {
  const scale = scaleOf(data);
  const points: LambdaPoint[] = [];
  for (const trial of data.trials) {
    for (const [series, field] of [
      ['train', 'trainAccuracy'],
      ['test', 'testAccuracy'],
    ] as const) {
      const epoch = lastMeasured(trial.epochs, field);
      if (epoch) points.push(lambdaPoint(trial, scale, series, epoch[field] as number, epoch.epoch));
    }
  }
  if (points.length === 0) return null;
  return {
    id: 'accuracy',
    title: 'Train and test accuracy against λ',
    description: 'Accuracy at the last recorded epoch of each trial. Accuracy should stay flat until λ is too large for the network to fit the data.',
    spec: lambdaChart({ title: 'Accuracy vs λ', points, scale, yTitle: 'accuracy', seriesTitle: 'split', seriesOrder: ['train', 'test'] }),
  };
}
