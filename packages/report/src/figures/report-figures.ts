import type { ReportData } from '../report-data.js';
import { accuracyFigure } from './accuracy-figure.js';
import { certificateBoundFigure } from './certificate-bound-figure.js';
import { compressionFigure } from './compression-figure.js';
import type { Figure } from './figure.js';
import { inputCollapseFigure } from './input-collapse-figure.js';
import { numericalRankFigure } from './numerical-rank-figure.js';
import { projectedChainFigure } from './projected-chain-figure.js';
import { proportionalityFigure } from './proportionality-figure.js';
import { relativeTailFigure } from './relative-tail-figure.js';
import { singularSpectraFigure } from './singular-spectra-figure.js';
import { stationarityFigure } from './stationarity-figure.js';
import { trainingCurvesFigure } from './training-curves-figure.js';

/** Figure builders in report order; each returns null when the data has nothing for it yet. */
export const FIGURE_BUILDERS = [
  numericalRankFigure,
  relativeTailFigure,
  projectedChainFigure,
  certificateBoundFigure,
  stationarityFigure,
  proportionalityFigure,
  inputCollapseFigure,
  singularSpectraFigure,
  accuracyFigure,
  compressionFigure,
  trainingCurvesFigure,
] as const;

/** Every figure the data supports, in report order. Pure: no I/O. */
export function reportFigures(data: ReportData): Figure[] {
  return FIGURE_BUILDERS.map((build) => build(data)).filter((figure): figure is Figure => figure !== null);
}
