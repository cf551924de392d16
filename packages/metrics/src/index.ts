/** @rank-collapse/metrics: pure float64 rank and neural-collapse metrics (science.md §2–§5). */
export { createMatrix, fromFloat32, transpose, frobeniusNormOf, type Matrix } from './matrix.js';
export { convKernelAsMatrix } from './conv-kernel-as-matrix.js';
export { singularValues, type SingularValuesOptions } from './singular-values.js';
export { truncatedSvd, type TruncatedSvd } from './truncated-svd.js';
export { tail } from './spectral-tail.js';
export { rankForEnergy } from './rank-for-energy.js';
export { effectiveRank } from './effective-rank.js';
export {
  spectralMetrics,
  SPECTRAL_METRIC_FIELDS,
  type SpectralMetrics,
  type SpectralMetricsOptions,
} from './spectral-metrics.js';
export {
  createCollapseAccumulator,
  type CollapseAccumulator,
  type CollapseAccumulatorOptions,
  type CollapseMetrics,
} from './collapse-accumulator.js';
export { collapseMetrics, type CollapseMetricsOptions } from './collapse-metrics.js';
export { nc3 } from './nc3.js';
export { orthonormalRowBasis } from './orthonormal-basis.js';
export {
  certificateTerms,
  CERTIFICATE_FIELDS,
  createSampleBoundAccumulator,
  type CertificateInputs,
  type CertificateTerms,
  type SampleBoundAccumulator,
  type SampleBoundAccumulatorOptions,
  type SampleBoundSums,
} from './certificate-terms.js';
