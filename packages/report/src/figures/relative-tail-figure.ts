import type { ReportData } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart } from './lambda-chart.js';
import { layerOrder, layerPoints, scaleOf } from './layer-points.js';

/** Relative spectral tail τ_K/‖W‖_F of each layer against λ; null without layer rows. */
export function relativeTailFigure(data: ReportData): Figure | null {
  const scale = scaleOf(data);
  const points = layerPoints(data, scale, (row) => [
    { series: row.layer, value: row.relativeTailK ?? (row.frobeniusNorm > 0 && row.tailK !== null ? row.tailK / row.frobeniusNorm : null) },
  ]);
  if (points.length === 0) return null;
  return {
    id: 'relative-tail',
    title: 'Relative distance to rank K against λ',
    description:
      'τ_K/‖W‖_F: the share of W’s Frobenius norm outside its best rank-K approximation. It falls steadily with λ even where the numerical rank reacts late.',
    spec: lambdaChart({
      title: 'τ_K / ‖W‖_F vs λ',
      points,
      scale,
      yTitle: 'τ_K / ‖W‖_F',
      yLog: true,
      seriesTitle: 'layer',
      seriesOrder: layerOrder(data),
    }),
  };
}
