import type { ReportData } from '../report-data.js';
import type { Figure } from './figure.js';
import { lambdaChart } from './lambda-chart.js';
import { layerOrder, layerPoints, scaleOf } from './layer-points.js';

const SCALE_FREE_TCV = 'scale-free TCV of the layer input';
const NC1 = 'NC1 of the layer input';

/** Scale-free TCV and NC1 of each layer's input h_{l−1} against λ, one panel per metric; null without values. */
export function inputCollapseFigure(data: ReportData): Figure | null {
  const scale = scaleOf(data);
  const points = layerPoints(data, scale, (row) => [
    { series: row.layer, value: row.inputScaleFreeTcv, panel: SCALE_FREE_TCV },
    { series: row.layer, value: row.inputNc1, panel: NC1 },
  ]);
  if (points.length === 0) return null;
  return {
    id: 'input-collapse',
    title: 'Within-class variability of each layer’s input against λ',
    description:
      'Scale-free TCV (TCV / Σ_c n_c‖μ_c − μ_G‖) and NC1 = tr(Σ_W Σ_B⁺)/K of the features entering each layer. ' +
      'The theory ties a layer’s rank to this variability: it should fall with depth and with λ (NC1 can rise at large λ when the class means collapse).',
    spec: lambdaChart({
      title: 'Input collapse vs λ',
      points,
      scale,
      yTitle: 'value',
      yLog: true,
      seriesTitle: 'layer',
      seriesOrder: layerOrder(data),
      columns: 2,
      width: 320,
      height: 220,
    }),
  };
}
