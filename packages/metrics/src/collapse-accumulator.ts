import { effectiveRank } from './effective-rank.js';
import type { Matrix } from './matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { dot, squaredDistance } from './vector-kernels.js';

/**
 * Neural-collapse metrics of features H (rows h_i ∈ R^D, labels y_i) — science.md §4. K' below is the number of
 * classes present (n_c > 0): classes without samples are skipped everywhere, and K' replaces K in Σ_B, NC1
 * and NC2. A field is `null` where its definition divides by zero (listed per field); no field is NaN.
 */
export interface CollapseMetrics {
  /** N, the number of samples streamed (each pass). */
  sampleCount: number;
  /** K', the number of classes with at least one sample. */
  presentClasses: number;
  /** TCV = Σ_c Σ_{i∈I_c} ‖h_i − μ_c‖₂ (same unit as h). */
  tcv: number;
  /** TCV / Σ_c n_c ‖μ_c − μ_G‖₂; null when every class mean equals the global mean (e.g. K' = 1). */
  scaleFreeTcv: number | null;
  /** NC1 = (1/K') tr(Σ_W Σ_B⁺), Σ_B⁺ from the top K'−1 eigenpairs of Σ_B (eigenvalues above the tolerance); null when Σ_B = 0. */
  nc1: number | null;
  /** tr(Σ_W) = (1/N) Σ_i ‖h_i − μ_{y_i}‖². */
  traceWithin: number;
  /** tr(Σ_B) = (1/K') Σ_c ‖μ_c − μ_G‖². */
  traceBetween: number;
  /** tr(Σ_W) / tr(Σ_B); null when tr(Σ_B) = 0. */
  traceRatio: number | null;
  /** Mean over class pairs c < c' of (V_c + V_c')/(2‖μ_c − μ_c'‖²), V_c = mean ‖h_i − μ_c‖² in class c; null when K' < 2 or two class means coincide. */
  cdnv: number | null;
  /** Effective rank (Roy & Vetterli) of the eigenvalues of Σ_B; 0 when Σ_B = 0. */
  betweenEffectiveRank: number;
  /** NC2 equinorm: std/mean (population std) of ‖μ_c − μ_G‖ over present classes; null when all are 0. */
  nc2Equinorm: number | null;
  /** NC2 equiangularity: mean over c ≠ c' of |cos(μ_c − μ_G, μ_c' − μ_G) + 1/(K'−1)|; pairs with a zero vector skipped; null without any pair. */
  nc2Equiangularity: number | null;
  /** NC4: share of samples whose given prediction differs from the nearest class mean; null if no predictions were given. */
  nc4Disagreement: number | null;
  /** max_i ‖h_i‖₂. */
  maxNorm: number;
  /** n_c for c = 0..K−1 (0 for absent classes). */
  classCounts: Float64Array;
  /** μ_c as the rows of a K×D matrix (zero rows for absent classes). */
  classMeans: Matrix;
  /** μ_c − μ_G as the rows of a K×D matrix (zero rows for absent classes): Mᵀ of NC3. */
  centeredClassMeans: Matrix;
  /** μ_G = (1/N) Σ_i h_i. */
  globalMean: Float64Array;
}

/** Options of {@link createCollapseAccumulator}. */
export interface CollapseAccumulatorOptions {
  /** Feature dimension D. */
  dim: number;
  /** Number of classes K; labels must lie in 0..K−1. */
  numClasses: number;
  /** Eigenvalues of Σ_B below this fraction of the largest are left out of Σ_B⁺. Default 1e-10. */
  pseudoInverseTolerance?: number;
}

/** Streaming two-pass accumulator; memory is O(K·D), independent of N. */
export interface CollapseAccumulator {
  /** Pass 1: class counts, class sums and max norm. `h` is rows×D row-major, `labels` has one label per row. */
  addFirstPass(h: Float32Array | Float64Array, labels: Int32Array): void;
  /** Ends pass 1: fixes the class means and the Σ_B eigenbasis. Throws if pass 1 saw no sample. */
  startSecondPass(): void;
  /** Pass 2 over the same samples: deviations from the class means; `predictions` (one per row) enables NC4. */
  addSecondPass(h: Float32Array | Float64Array, labels: Int32Array, predictions?: Int32Array): void;
  /** The metrics. Throws unless pass 2 saw exactly the samples of pass 1 (by count). */
  result(): CollapseMetrics;
}

/**
 * Creates a {@link CollapseAccumulator}: feed every batch to `addFirstPass`, call `startSecondPass`, feed the
 * same batches (any order) to `addSecondPass`, then read `result()`.
 * @throws RangeError for invalid options; the methods throw RangeError for malformed batches or labels out of
 * range, and Error when called out of order.
 */
export function createCollapseAccumulator(options: CollapseAccumulatorOptions): CollapseAccumulator {
  const { dim: D, numClasses: K, pseudoInverseTolerance = 1e-10 } = options;
  if (!Number.isInteger(D) || D < 1) throw new RangeError(`createCollapseAccumulator: dim must be a positive integer, got ${D}`);
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`createCollapseAccumulator: numClasses must be a positive integer, got ${K}`);
  const counts = new Float64Array(K);
  const sums = new Float64Array(K * D);
  const means = new Float64Array(K * D);
  const centered = new Float64Array(K * D);
  const globalMean = new Float64Array(D);
  const withinSquares = new Float64Array(K);
  const deviation = new Float64Array(D);
  const row64 = new Float64Array(D);
  let present: number[] = [];
  let projector = new Float64Array(0); // rows u_j/√λ_j of Σ_B⁺ = Σ_j u_j u_jᵀ/λ_j
  let projectorRows = 0;
  let betweenEigenvalues = new Float64Array(0);
  let phase: 'first' | 'second' = 'first';
  let firstCount = 0;
  let secondCount = 0;
  let maxNorm = 0;
  let tcv = 0;
  let nc1Sum = 0;
  let disagreements = 0;
  let predictedCount = 0;

  const checkBatch = (caller: string, h: Float32Array | Float64Array, labels: Int32Array, predictions?: Int32Array): void => {
    if (h.length !== labels.length * D) {
      throw new RangeError(`${caller}: features have length ${h.length}, expected labels.length·D = ${labels.length}·${D}`);
    }
    if (predictions !== undefined && predictions.length !== labels.length) {
      throw new RangeError(`${caller}: ${predictions.length} predictions for ${labels.length} labels`);
    }
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i];
      if (c < 0 || c >= K) throw new RangeError(`${caller}: label ${c} at row ${i} is outside 0..${K - 1}`);
    }
  };

  return {
    addFirstPass(h, labels) {
      if (phase !== 'first') throw new Error('addFirstPass: the second pass has already started');
      checkBatch('addFirstPass', h, labels);
      for (let i = 0; i < labels.length; i++) {
        const c = labels[i];
        const row = i * D;
        const target = c * D;
        let squares = 0;
        for (let j = 0; j < D; j++) {
          const x = h[row + j];
          sums[target + j] += x;
          squares += x * x;
        }
        counts[c]++;
        const norm = Math.sqrt(squares);
        if (norm > maxNorm) maxNorm = norm;
      }
      firstCount += labels.length;
    },

    startSecondPass() {
      if (phase !== 'first') throw new Error('startSecondPass: called twice');
      if (firstCount === 0) throw new Error('startSecondPass: the first pass saw no sample');
      phase = 'second';
      present = [];
      for (let c = 0; c < K; c++) if (counts[c] > 0) present.push(c);
      for (const c of present) {
        for (let j = 0; j < D; j++) {
          means[c * D + j] = sums[c * D + j] / counts[c];
          globalMean[j] += sums[c * D + j];
        }
      }
      for (let j = 0; j < D; j++) globalMean[j] /= firstCount;
      for (const c of present) for (let j = 0; j < D; j++) centered[c * D + j] = means[c * D + j] - globalMean[j];
      // Σ_B = (1/K') MᵀM with M the K'×D centered means: its nonzero spectrum is that of the K'×K' Gram (1/K') MMᵀ.
      const k = present.length;
      const gram = new Float64Array(k * k);
      for (let a = 0; a < k; a++) {
        for (let b = a; b < k; b++) {
          const value = dot(centered, present[a] * D, centered, present[b] * D, D) / k;
          gram[a * k + b] = value;
          gram[b * k + a] = value;
        }
      }
      const { values, vectors } = symmetricEigen(gram, k);
      betweenEigenvalues = values.map((value) => Math.max(value, 0));
      const largest = betweenEigenvalues[0] ?? 0;
      const kept: number[] = [];
      for (let j = 0; j < Math.max(k - 1, 0); j++) {
        if (largest > 0 && betweenEigenvalues[j] > pseudoInverseTolerance * largest) kept.push(j);
      }
      projectorRows = kept.length;
      projector = new Float64Array(projectorRows * D);
      kept.forEach((j, row) => {
        // u_j = Mᵀ g_j / √(K' λ_j); the row stored is u_j / √λ_j.
        const lambda = betweenEigenvalues[j];
        const factor = 1 / (Math.sqrt(k * lambda) * Math.sqrt(lambda));
        for (let a = 0; a < k; a++) {
          const g = vectors[j * k + a] * factor;
          const source = present[a] * D;
          for (let t = 0; t < D; t++) projector[row * D + t] += g * centered[source + t];
        }
      });
    },

    addSecondPass(h, labels, predictions) {
      if (phase !== 'second') throw new Error('addSecondPass: call startSecondPass first');
      checkBatch('addSecondPass', h, labels, predictions);
      for (let i = 0; i < labels.length; i++) {
        const c = labels[i];
        // A float64 copy of the row lets the 4-accumulator kernels run on it whatever the input type.
        for (let j = 0; j < D; j++) row64[j] = h[i * D + j];
        const meanOffset = c * D;
        let squares = 0;
        for (let j = 0; j < D; j++) {
          const x = row64[j] - means[meanOffset + j];
          deviation[j] = x;
          squares += x * x;
        }
        withinSquares[c] += squares;
        tcv += Math.sqrt(squares);
        for (let r = 0; r < projectorRows; r++) {
          const p = dot(projector, r * D, deviation, 0, D);
          nc1Sum += p * p;
        }
        if (predictions !== undefined) {
          let best = -1;
          let bestDistance = Infinity;
          for (const candidate of present) {
            const distance = squaredDistance(row64, 0, means, candidate * D, D);
            if (distance < bestDistance) {
              bestDistance = distance;
              best = candidate;
            }
          }
          if (best !== predictions[i]) disagreements++;
          predictedCount++;
        }
      }
      secondCount += labels.length;
    },

    result() {
      if (phase !== 'second') throw new Error('result: call startSecondPass and stream the second pass first');
      if (secondCount !== firstCount) {
        throw new Error(`result: the second pass saw ${secondCount} samples, the first ${firstCount}`);
      }
      const N = firstCount;
      const k = present.length;
      const centeredNorms = present.map((c) => Math.sqrt(dot(centered, c * D, centered, c * D, D)));
      let weightedSpread = 0;
      present.forEach((c, a) => (weightedSpread += counts[c] * centeredNorms[a]));
      const traceWithin = withinSquares.reduce((s, x) => s + x, 0) / N;
      const traceBetween = centeredNorms.reduce((s, x) => s + x * x, 0) / k;
      return {
        sampleCount: N,
        presentClasses: k,
        tcv,
        scaleFreeTcv: weightedSpread > 0 ? tcv / weightedSpread : null,
        nc1: projectorRows > 0 ? nc1Sum / N / k : null,
        traceWithin,
        traceBetween,
        traceRatio: traceBetween > 0 ? traceWithin / traceBetween : null,
        cdnv: classDistanceNormalizedVariance(present, counts, withinSquares, means, D),
        betweenEffectiveRank: effectiveRank(betweenEigenvalues),
        ...equinormAndEquiangularity(present, centered, centeredNorms, D),
        nc4Disagreement: predictedCount > 0 ? disagreements / predictedCount : null,
        maxNorm,
        classCounts: Float64Array.from(counts),
        classMeans: { rows: K, cols: D, data: Float64Array.from(means) },
        centeredClassMeans: { rows: K, cols: D, data: Float64Array.from(centered) },
        globalMean: Float64Array.from(globalMean),
      };
    },
  };
}

function classDistanceNormalizedVariance(
  present: number[],
  counts: Float64Array,
  withinSquares: Float64Array,
  means: Float64Array,
  D: number,
): number | null {
  if (present.length < 2) return null;
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < present.length; a++) {
    for (let b = a + 1; b < present.length; b++) {
      const c = present[a];
      const d = present[b];
      let distanceSquared = 0;
      for (let j = 0; j < D; j++) {
        const x = means[c * D + j] - means[d * D + j];
        distanceSquared += x * x;
      }
      if (distanceSquared === 0) return null;
      total += (withinSquares[c] / counts[c] + withinSquares[d] / counts[d]) / (2 * distanceSquared);
      pairs++;
    }
  }
  return total / pairs;
}

function equinormAndEquiangularity(
  present: number[],
  centered: Float64Array,
  norms: number[],
  D: number,
): { nc2Equinorm: number | null; nc2Equiangularity: number | null } {
  const k = present.length;
  const mean = norms.reduce((s, x) => s + x, 0) / k;
  const variance = norms.reduce((s, x) => s + (x - mean) * (x - mean), 0) / k;
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b || norms[a] === 0 || norms[b] === 0) continue;
      const cosine = dot(centered, present[a] * D, centered, present[b] * D, D) / (norms[a] * norms[b]);
      total += Math.abs(cosine + 1 / (k - 1));
      pairs++;
    }
  }
  return {
    nc2Equinorm: mean > 0 ? Math.sqrt(variance) / mean : null,
    nc2Equiangularity: pairs > 0 ? total / pairs : null,
  };
}
