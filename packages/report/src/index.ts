/** @rank-collapse/report: figures (Vega-Lite rendered to SVG/PNG) and a self-contained HTML report of a sweep. */
export { buildReport, type BuildReportOptions, type BuiltReport, type BuiltFigure } from './build-report.js';
export { buildCheckpointReport, type BuildCheckpointReportOptions } from './build-checkpoint-report.js';
export { checkpointSeriesFigures, type CheckpointSeriesData, type CheckpointLayerPoint } from './figures/checkpoint-series-figures.js';
export { loadReportData, type LoadReportDataOptions } from './store/load-report-data.js';
export type {
  ReportData,
  ReportTrial,
  ReportTrialConfig,
  ReportTrialStatus,
  ReportEpoch,
  ReportLayerRow,
  ReportSpectrum,
  ReportCompression,
} from './report-data.js';
export { reportFigures, FIGURE_BUILDERS } from './figures/report-figures.js';
export type { Figure } from './figures/figure.js';
export { lambdaScale, formatLambda, type LambdaScale } from './figures/lambda-scale.js';
export { renderSvg } from './render/render-svg.js';
export { renderPng, type RenderPngOptions, type RenderedPng } from './render/render-png.js';
export { reportHtml, type ReportHtmlOptions } from './html/report-html.js';
export { certificateViolations, type CertificateViolation } from './certificate-violations.js';
export { isPartial, statusCounts } from './trial-status.js';
