import type { ReportData } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart } from './lambda-chart.js';
import { classCount, layerOrder, layerPoints, scaleOf } from './layer-points.js';

/** Numerical rank of each layer against λ, with y = K marked; null without layer rows. */
export function numericalRankFigure(data: ReportData): Figure | null {
  const scale = scaleOf(data);
  const points = layerPoints(data, scale, (row) => [{ series: row.layer, value: row.numericalRank }]);
  if (points.length === 0) return null;
  const K = classCount(data);
  return {
    id: 'numerical-rank',
    title: 'Numerical rank of each layer against λ',
    description:
      'Rank of W at relative tolerance σ_j > tol·σ_1 at the latest checkpoint; lines join the mean over seeds, the dashed rule marks K. ' +
      'Neural rank collapse shows as the rank falling toward K as λ grows.',
    spec: lambdaChart({
      title: 'Numerical rank vs λ',
      points,
      scale,
      yTitle: 'numerical rank',
      yLog: true,
      seriesTitle: 'layer',
      seriesOrder: layerOrder(data),
      rules: K === null ? [] : [{ y: K, text: `K = ${K}` }],
    }),
  };
}
