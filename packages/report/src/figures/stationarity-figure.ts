import type { ReportData } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart } from './lambda-chart.js';
import { layerOrder, layerPoints } from './layer-points.js';
import { lambdaScale } from './lambda-scale.js';

/** The target of a near-stationary run: ‖R‖_F ≤ 0.05·‖W‖_F (docs/reproduction.md). */
export const STATIONARITY_TARGET = 0.05;

/**
 * ‖R‖_F/‖W‖_F = ‖∇_W J‖_F/(λ‖W‖_F) of every dense layer against λ > 0, with the 0.05 target as a rule; null without
 * certificate rows. Rows from analyses before `relativeNormR` existed give normR/frobeniusNorm.
 */
export function stationarityFigure(data: ReportData): Figure | null {
  const scale = lambdaScale(data.trials.map((trial) => trial.config.weightDecay).filter((lambda) => lambda > 0));
  const points = layerPoints(data, scale, (row, trial) => {
    if (!(trial.config.weightDecay > 0)) return [];
    const relative = row.relativeNormR ?? (typeof row.normR === 'number' && row.frobeniusNorm > 0 ? row.normR / row.frobeniusNorm : null);
    return [{ series: row.layer, value: relative }];
  });
  if (points.length === 0) return null;
  return {
    id: 'stationarity',
    title: 'Distance from a stationary point: ‖R‖_F/‖W‖_F against λ',
    description:
      'R = W + G/λ = ∇_W J/λ is the stationarity residual of the certificate; the run is near a critical point of the regularized objective where it is small ' +
      `against W. The dashed rule is the target ‖R‖ ≤ ${STATIONARITY_TARGET}·‖W‖.`,
    spec: lambdaChart({
      title: '‖R‖_F / ‖W‖_F vs λ',
      points,
      scale,
      yTitle: '‖R‖_F / ‖W‖_F',
      yLog: true,
      seriesTitle: 'layer',
      seriesOrder: layerOrder(data),
      rules: [{ y: STATIONARITY_TARGET, text: `target ${STATIONARITY_TARGET}` }],
    }),
  };
}
