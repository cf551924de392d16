import { createCollapseAccumulator, type CollapseMetrics } from './collapse-accumulator.js';

/** Options of {@link collapseMetrics}. */
export interface CollapseMetricsOptions {
  /** Number of classes K. */
  numClasses: number;
  /** Classifier predictions, one per row, for NC4. Default: none (nc4Disagreement is null). */
  predictions?: Int32Array;
  /** See CollapseAccumulatorOptions.pseudoInverseTolerance. Default 1e-10. */
  pseudoInverseTolerance?: number;
}

/**
 * Collapse metrics of features already in memory (N×D row-major `h`, N labels): both passes of
 * {@link createCollapseAccumulator} in one call. D is `h.length / labels.length`.
 * @throws RangeError if `h.length` is not a positive multiple of `labels.length`, or as the accumulator does.
 */
export function collapseMetrics(h: Float32Array | Float64Array, labels: Int32Array, options: CollapseMetricsOptions): CollapseMetrics {
  if (labels.length === 0 || h.length % labels.length !== 0 || h.length === 0) {
    throw new RangeError(`collapseMetrics: ${h.length} feature values do not form rows for ${labels.length} labels`);
  }
  const accumulator = createCollapseAccumulator({
    dim: h.length / labels.length,
    numClasses: options.numClasses,
    pseudoInverseTolerance: options.pseudoInverseTolerance,
  });
  accumulator.addFirstPass(h, labels);
  accumulator.startSecondPass();
  accumulator.addSecondPass(h, labels, options.predictions);
  return accumulator.result();
}
