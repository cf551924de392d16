import { checkMatrix, euclideanNorm, frobeniusNormOf, type Matrix } from './matrix.js';
import { orthonormalRowBasis } from './orthonormal-basis.js';
import { singularValues } from './singular-values.js';
import { tail } from './spectral-tail.js';

/** Inputs of {@link certificateTerms} for one dense layer z = W h + b (science.md §2). */
export interface CertificateInputs {
  /** W, m×n. */
  weight: Matrix;
  /** Data gradient G = (1/N) Σ_i δ_i h_iᵀ, m×n (without the weight-decay term). */
  gradient: Matrix;
  /** Class sums of the backward signals, K×m: row c is s_c = Σ_{i∈I_c} δ_i (the dual chain uses ν_c = s_c/n_c). */
  classDeltaSums: Matrix;
  /** Class means of the layer input, K×n: row c is μ_c. */
  classInputMeans: Matrix;
  /** n_c for c = 0..K−1; classes with n_c = 0 are skipped. */
  classCounts: ArrayLike<number>;
  /** N, the number of samples G was averaged over. */
  sampleCount: number;
  /** λ ≥ 0. For λ = 0 the decomposition is undefined (see {@link CertificateTerms}). */
  weightDecay: number;
  /** max_i ‖δ_i‖₂. */
  maxDeltaNorm: number;
  /** TCV of the layer input h (around the μ_c). */
  inputTcv: number;
  /** max_i ‖h_i‖₂, for the dual bound; omit to get null dual bounds. */
  maxInputNorm?: number;
  /** TCV of the backward signals δ (around the ν_c), for the dual bound. */
  deltaTcv?: number;
  /** Rank the tail is measured against. Default: the number of classes present. */
  K?: number;
  /** Singular values of W in descending order, if already computed (saves an SVD). */
  singularValues?: ArrayLike<number>;
  /** Relative tolerance of the rank-revealing span bases. Default 1e-10. */
  spanTolerance?: number;
  /** Per-sample sums streamed by {@link createSampleBoundAccumulator} over the same samples; omit to get null sample bounds. */
  sampleSums?: SampleBoundSums;
}

/**
 * Certificate terms of one dense layer; all norms are Frobenius. W = A + E + R with
 * A = −(1/(λN)) Σ_c s_c μ_cᵀ, E = −(G − (1/N) Σ_c s_c μ_cᵀ)/λ, R = W + G/λ; P⊥ = I − QQᵀ with Q a basis of
 * span{μ_c} (acting on W from the right) and P⊥_δ the same for span{ν_c = s_c/n_c} (from the left). Then
 *   τ_K ≤ offSpanW ≤ offSpanE + offSpanR ≤ normE + normR = boundER ≤ tcvBoundFull, and likewise for the dual
 * chain, whenever K ≥ spanRank (K ≥ dualSpanRank). Fields depending on λ are null when λ = 0.
 */
export interface CertificateTerms {
  /** τ_K(W). */
  tailK: number;
  /** ‖A‖_F. */
  normA: number | null;
  /** ‖E‖_F. */
  normE: number | null;
  /** ‖R‖_F (stationarity residual ‖∇J‖/λ). */
  normR: number | null;
  /** ‖A + E + R − W‖_F / ‖W‖_F (absolute when W = 0): an identity, so a plumbing check. */
  reconstructionError: number | null;
  /** ‖E‖_F + ‖R‖_F. */
  boundER: number | null;
  /** τ_K / (‖E‖_F + ‖R‖_F) ∈ [0, 1]; null when the bound is 0. */
  slack: number | null;
  /** max_i‖δ_i‖ · TCV / (λN), a bound on ‖E‖_F. */
  tcvBound: number | null;
  /** tcvBound + ‖R‖_F, the full worst-case bound on τ_K. */
  tcvBoundFull: number | null;
  /** dim span{μ_c}. */
  spanRank: number;
  /** ‖W P⊥‖_F, energy of W off the class-mean span. */
  offSpanW: number;
  /** ‖E P⊥‖_F. */
  offSpanE: number | null;
  /** ‖R P⊥‖_F. */
  offSpanR: number | null;
  /** max_i‖h_i‖ · TCV_δ / (λN); null without maxInputNorm and deltaTcv. */
  dualTcvBound: number | null;
  /** dualTcvBound + ‖R‖_F. */
  dualTcvBoundFull: number | null;
  /** dim span{ν_c}. */
  dualSpanRank: number;
  /** ‖P⊥_δ W‖_F. */
  dualOffSpanW: number;
  /** ‖P⊥_δ E‖_F. */
  dualOffSpanE: number | null;
  /** ‖P⊥_δ R‖_F. */
  dualOffSpanR: number | null;
  /** ‖R‖_F/‖W‖_F, how far from stationary the layer is (null when W = 0). */
  relativeNormR: number | null;
  /** ‖∇_W J‖_F = λ‖R‖_F. */
  gradientNorm: number | null;
  /** Σ_i ‖δ_i‖‖e_i‖/(λN) ≥ ‖E‖_F (e_i = h_i − μ_c); ≤ tcvBound. Null without sampleSums. */
  sampleBound: number | null;
  /** Σ_i ‖r_i‖‖e_i‖/(λN) ≥ ‖E‖_F, r_i = δ_i − ν_c: both signals centered per class. */
  centeredSampleBound: number | null;
  /** Σ_i ‖r_i‖‖h_i‖/(λN) ≥ ‖E‖_F, the per-sample form of dualTcvBound. */
  dualSampleBound: number | null;
  /** min(sampleBound, centeredSampleBound, dualSampleBound) + ‖R‖_F ≥ boundER ≥ τ_K. */
  sampleBoundFull: number | null;
  /** Σ_i ‖δ_i‖‖P⊥h_i‖/(λN) ≥ ‖E P⊥‖_F (P⊥e_i = P⊥h_i). */
  offSpanSampleBound: number | null;
  /** Σ_i ‖r_i‖‖P⊥h_i‖/(λN) ≥ ‖E P⊥‖_F. */
  offSpanCenteredSampleBound: number | null;
  /** min(offSpanSampleBound, offSpanCenteredSampleBound) + ‖R P⊥‖_F ≥ offSpanE + offSpanR ≥ τ_K. */
  offSpanSampleBoundFull: number | null;
  /** Σ_i ‖P⊥_δ δ_i‖‖e_i‖/(λN) ≥ ‖P⊥_δ E‖_F. */
  dualOffSpanSampleBound: number | null;
  /** dualOffSpanSampleBound + ‖P⊥_δ R‖_F ≥ τ_K. */
  dualOffSpanSampleBoundFull: number | null;
}

/** Names of the CertificateTerms fields, in a stable order (column names of the per-layer rows). */
export const CERTIFICATE_FIELDS = [
  'tailK',
  'normA',
  'normE',
  'normR',
  'reconstructionError',
  'boundER',
  'slack',
  'tcvBound',
  'tcvBoundFull',
  'spanRank',
  'offSpanW',
  'offSpanE',
  'offSpanR',
  'dualTcvBound',
  'dualTcvBoundFull',
  'dualSpanRank',
  'dualOffSpanW',
  'dualOffSpanE',
  'dualOffSpanR',
  'relativeNormR',
  'gradientNorm',
  'sampleBound',
  'centeredSampleBound',
  'dualSampleBound',
  'sampleBoundFull',
  'offSpanSampleBound',
  'offSpanCenteredSampleBound',
  'offSpanSampleBoundFull',
  'dualOffSpanSampleBound',
  'dualOffSpanSampleBoundFull',
] as const satisfies readonly (keyof CertificateTerms)[];

/**
 * Computes the rank-collapse certificate of a dense layer (science.md §2) in float64; cost O(m·n·(K + min(m,n))).
 * @throws RangeError if shapes disagree, λ < 0, N < 1 or a count is negative.
 */
export function certificateTerms(inputs: CertificateInputs): CertificateTerms {
  const { weight: W, gradient: G, classDeltaSums: S, classInputMeans: Mu, classCounts } = inputs;
  const { sampleCount: N, weightDecay: lambda, spanTolerance = 1e-10 } = inputs;
  for (const [name, matrix] of [['weight', W], ['gradient', G], ['classDeltaSums', S], ['classInputMeans', Mu]] as const) {
    checkMatrix(matrix, `certificateTerms: ${name}`);
  }
  const { rows: m, cols: n } = W;
  const classes = classCounts.length;
  if (G.rows !== m || G.cols !== n) throw new RangeError(`certificateTerms: gradient is ${G.rows}×${G.cols}, weight ${m}×${n}`);
  if (S.rows !== classes || S.cols !== m) throw new RangeError(`certificateTerms: classDeltaSums must be ${classes}×${m}, got ${S.rows}×${S.cols}`);
  if (Mu.rows !== classes || Mu.cols !== n) throw new RangeError(`certificateTerms: classInputMeans must be ${classes}×${n}, got ${Mu.rows}×${Mu.cols}`);
  if (!(lambda >= 0)) throw new RangeError(`certificateTerms: weightDecay must be ≥ 0, got ${lambda}`);
  if (!(N >= 1)) throw new RangeError(`certificateTerms: sampleCount must be ≥ 1, got ${N}`);
  const present: number[] = [];
  for (let c = 0; c < classes; c++) {
    if (!(classCounts[c] >= 0)) throw new RangeError(`certificateTerms: class count ${c} is ${classCounts[c]}`);
    if (classCounts[c] > 0) present.push(c);
  }
  const K = inputs.K ?? present.length;
  const sigma = inputs.singularValues ?? singularValues(W);
  const tailK = tail(sigma, K);

  const Q = orthonormalRowBasis(selectRows(Mu, present), spanTolerance);
  const deltaMeans = selectRows(S, present);
  present.forEach((c, row) => {
    for (let j = 0; j < m; j++) deltaMeans.data[row * m + j] /= classCounts[c];
  });
  const Qdelta = orthonormalRowBasis(deltaMeans, spanTolerance);
  const offSpanW = offSpanRight(W, Q);
  const dualOffSpanW = offSpanLeft(W, Qdelta);
  const common = { tailK, spanRank: Q.rows, offSpanW, dualSpanRank: Qdelta.rows, dualOffSpanW };
  if (lambda === 0) {
    return {
      ...common,
      normA: null, normE: null, normR: null, reconstructionError: null, boundER: null, slack: null,
      tcvBound: null, tcvBoundFull: null, offSpanE: null, offSpanR: null,
      dualTcvBound: null, dualTcvBoundFull: null, dualOffSpanE: null, dualOffSpanR: null,
      relativeNormR: null, gradientNorm: null, ...NULL_SAMPLE_TERMS,
    };
  }
  // C = Σ_c s_c μ_cᵀ (m×n); A = −C/(λN), E = −(G − C/N)/λ, R = W + G/λ.
  const C = new Float64Array(m * n);
  for (const c of present) {
    for (let i = 0; i < m; i++) {
      const s = S.data[c * m + i];
      if (s === 0) continue;
      for (let j = 0; j < n; j++) C[i * n + j] += s * Mu.data[c * n + j];
    }
  }
  const A = new Float64Array(m * n);
  const E = new Float64Array(m * n);
  const R = new Float64Array(m * n);
  const residual = new Float64Array(m * n);
  for (let t = 0; t < m * n; t++) {
    A[t] = -C[t] / (lambda * N);
    E[t] = -(G.data[t] - C[t] / N) / lambda;
    R[t] = W.data[t] + G.data[t] / lambda;
    residual[t] = A[t] + E[t] + R[t] - W.data[t];
  }
  const normE = euclideanNorm(E, 0, E.length);
  const normR = euclideanNorm(R, 0, R.length);
  const normW = frobeniusNormOf(W);
  const residualNorm = euclideanNorm(residual, 0, residual.length);
  const boundER = normE + normR;
  const tcvBound = (inputs.maxDeltaNorm * inputs.inputTcv) / (lambda * N);
  const dualTcvBound =
    inputs.maxInputNorm !== undefined && inputs.deltaTcv !== undefined ? (inputs.maxInputNorm * inputs.deltaTcv) / (lambda * N) : null;
  const Em: Matrix = { rows: m, cols: n, data: E };
  const Rm: Matrix = { rows: m, cols: n, data: R };
  const offSpanE = offSpanRight(Em, Q);
  const offSpanR = offSpanRight(Rm, Q);
  const dualOffSpanE = offSpanLeft(Em, Qdelta);
  const dualOffSpanR = offSpanLeft(Rm, Qdelta);
  return {
    ...common,
    normA: euclideanNorm(A, 0, A.length),
    normE,
    normR,
    reconstructionError: normW > 0 ? residualNorm / normW : residualNorm,
    boundER,
    slack: boundER > 0 ? tailK / boundER : null,
    tcvBound,
    tcvBoundFull: tcvBound + normR,
    offSpanE,
    offSpanR,
    dualTcvBound,
    dualTcvBoundFull: dualTcvBound === null ? null : dualTcvBound + normR,
    dualOffSpanE,
    dualOffSpanR,
    relativeNormR: normW > 0 ? normR / normW : null,
    gradientNorm: lambda * normR,
    ...sampleTerms(inputs.sampleSums, lambda * N, { normR, offSpanR, dualOffSpanR }),
  };
}

type SampleTermField =
  | 'sampleBound'
  | 'centeredSampleBound'
  | 'dualSampleBound'
  | 'sampleBoundFull'
  | 'offSpanSampleBound'
  | 'offSpanCenteredSampleBound'
  | 'offSpanSampleBoundFull'
  | 'dualOffSpanSampleBound'
  | 'dualOffSpanSampleBoundFull';

const NULL_SAMPLE_TERMS: Record<SampleTermField, null> = {
  sampleBound: null,
  centeredSampleBound: null,
  dualSampleBound: null,
  sampleBoundFull: null,
  offSpanSampleBound: null,
  offSpanCenteredSampleBound: null,
  offSpanSampleBoundFull: null,
  dualOffSpanSampleBound: null,
  dualOffSpanSampleBoundFull: null,
};

function sampleTerms(
  sums: SampleBoundSums | undefined,
  lambdaN: number,
  residuals: { normR: number; offSpanR: number; dualOffSpanR: number },
): Record<SampleTermField, number | null> {
  if (!sums) return NULL_SAMPLE_TERMS;
  const sampleBound = sums.deltaDeviation / lambdaN;
  const centeredSampleBound = sums.centeredDeltaDeviation / lambdaN;
  const dualSampleBound = sums.centeredDeltaInput / lambdaN;
  const offSpanSampleBound = sums.deltaOffSpanInput / lambdaN;
  const offSpanCenteredSampleBound = sums.centeredDeltaOffSpanInput / lambdaN;
  const dualOffSpanSampleBound = sums.offSpanDeltaDeviation / lambdaN;
  return {
    sampleBound,
    centeredSampleBound,
    dualSampleBound,
    sampleBoundFull: Math.min(sampleBound, centeredSampleBound, dualSampleBound) + residuals.normR,
    offSpanSampleBound,
    offSpanCenteredSampleBound,
    offSpanSampleBoundFull: Math.min(offSpanSampleBound, offSpanCenteredSampleBound) + residuals.offSpanR,
    dualOffSpanSampleBound,
    dualOffSpanSampleBoundFull: dualOffSpanSampleBound + residuals.dualOffSpanR,
  };
}

/**
 * Per-sample sums of the sharper certificate bounds (science.md §2, "Per-sample bounds"), all over the N
 * samples: with e_i = h_i − μ_c, r_i = δ_i − ν_c, P⊥ the projection off span{μ_c} and P⊥_δ off span{ν_c}.
 */
export interface SampleBoundSums {
  /** N. */
  sampleCount: number;
  /** Σ_i ‖δ_i‖‖e_i‖. */
  deltaDeviation: number;
  /** Σ_i ‖r_i‖‖e_i‖. */
  centeredDeltaDeviation: number;
  /** Σ_i ‖r_i‖‖h_i‖. */
  centeredDeltaInput: number;
  /** Σ_i ‖δ_i‖‖P⊥h_i‖. */
  deltaOffSpanInput: number;
  /** Σ_i ‖r_i‖‖P⊥h_i‖. */
  centeredDeltaOffSpanInput: number;
  /** Σ_i ‖P⊥_δ δ_i‖‖e_i‖. */
  offSpanDeltaDeviation: number;
  /** dim span{μ_c} and dim span{ν_c} used for P⊥ and P⊥_δ. */
  spanRank: number;
  dualSpanRank: number;
}

/** Options of {@link createSampleBoundAccumulator}. */
export interface SampleBoundAccumulatorOptions {
  /** m, the width of δ_i (the layer's output). */
  deltaDim: number;
  /** n, the width of h_i (the layer's input). */
  inputDim: number;
  /** K; labels lie in 0..K−1. */
  numClasses: number;
  /** Relative tolerance of the span bases, as in certificateTerms. Default 1e-10. */
  spanTolerance?: number;
}

/** Two-pass streaming accumulator of {@link SampleBoundSums}; memory O(K·(m + n)), never N×anything. */
export interface SampleBoundAccumulator {
  /** Pass 1: class sums of δ (rows×m) and h (rows×n), one label per row. */
  addFirstPass(delta: Float32Array | Float64Array, h: Float32Array | Float64Array, labels: Int32Array): void;
  /** Ends pass 1: fixes μ_c, ν_c and the bases of their spans. */
  startSecondPass(): void;
  /** Pass 2 over the same samples (any batching): the per-sample products. */
  addSecondPass(delta: Float32Array | Float64Array, h: Float32Array | Float64Array, labels: Int32Array): void;
  /** The sums. Throws unless pass 2 saw as many samples as pass 1. */
  result(): SampleBoundSums;
}

/**
 * Creates a {@link SampleBoundAccumulator}: feed every batch of (δ, h, labels) to `addFirstPass`, call
 * `startSecondPass`, feed the same samples to `addSecondPass`, read `result()` and pass it to
 * {@link certificateTerms} as `sampleSums`. Cost per sample O((m + n)·K).
 * @throws RangeError for bad dims or batches, labels out of range; Error when called out of order.
 */
export function createSampleBoundAccumulator(options: SampleBoundAccumulatorOptions): SampleBoundAccumulator {
  const { deltaDim: m, inputDim: n, numClasses: K, spanTolerance = 1e-10 } = options;
  for (const [name, value] of [['deltaDim', m], ['inputDim', n], ['numClasses', K]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`createSampleBoundAccumulator: ${name} must be a positive integer, got ${value}`);
  }
  const counts = new Float64Array(K);
  const deltaMeans = new Float64Array(K * m);
  const inputMeans = new Float64Array(K * n);
  let Q: Matrix = { rows: 0, cols: n, data: new Float64Array(0) };
  let Qdelta: Matrix = { rows: 0, cols: m, data: new Float64Array(0) };
  const sums = { deltaDeviation: 0, centeredDeltaDeviation: 0, centeredDeltaInput: 0, deltaOffSpanInput: 0, centeredDeltaOffSpanInput: 0, offSpanDeltaDeviation: 0 };
  const d64 = new Float64Array(m);
  const h64 = new Float64Array(n);
  const e = new Float64Array(n);
  const r = new Float64Array(m);
  const coefficients = new Float64Array(K);
  let phase: 'first' | 'second' = 'first';
  let firstCount = 0;
  let secondCount = 0;

  const check = (caller: string, delta: ArrayLike<number>, h: ArrayLike<number>, labels: Int32Array): void => {
    if (delta.length !== labels.length * m) throw new RangeError(`${caller}: δ has length ${delta.length}, expected ${labels.length}·${m}`);
    if (h.length !== labels.length * n) throw new RangeError(`${caller}: h has length ${h.length}, expected ${labels.length}·${n}`);
    for (let i = 0; i < labels.length; i++) {
      if (!(labels[i] >= 0 && labels[i] < K)) throw new RangeError(`${caller}: label ${labels[i]} at row ${i} is outside 0..${K - 1}`);
    }
  };

  return {
    addFirstPass(delta, h, labels) {
      if (phase !== 'first') throw new Error('addFirstPass: the second pass has already started');
      check('addFirstPass', delta, h, labels);
      for (let i = 0; i < labels.length; i++) {
        const c = labels[i];
        for (let a = 0; a < m; a++) deltaMeans[c * m + a] += delta[i * m + a];
        for (let b = 0; b < n; b++) inputMeans[c * n + b] += h[i * n + b];
        counts[c]++;
      }
      firstCount += labels.length;
    },

    startSecondPass() {
      if (phase !== 'first') throw new Error('startSecondPass: called twice');
      if (firstCount === 0) throw new Error('startSecondPass: the first pass saw no sample');
      phase = 'second';
      const present: number[] = [];
      for (let c = 0; c < K; c++) {
        if (counts[c] === 0) continue;
        present.push(c);
        for (let a = 0; a < m; a++) deltaMeans[c * m + a] /= counts[c];
        for (let b = 0; b < n; b++) inputMeans[c * n + b] /= counts[c];
      }
      Q = orthonormalRowBasis(selectRows({ rows: K, cols: n, data: inputMeans }, present), spanTolerance);
      Qdelta = orthonormalRowBasis(selectRows({ rows: K, cols: m, data: deltaMeans }, present), spanTolerance);
    },

    addSecondPass(delta, h, labels) {
      if (phase !== 'second') throw new Error('addSecondPass: call startSecondPass first');
      check('addSecondPass', delta, h, labels);
      for (let i = 0; i < labels.length; i++) {
        const c = labels[i];
        // One pass per vector copies it, centers it and takes what euclideanNorm needs (largest magnitude,
        // unscaled sum of squares in the same order), so the norms equal euclideanNorm's to the bit.
        let dMax = 0;
        let rMax = 0;
        let dSquares = 0;
        let rSquares = 0;
        for (let a = 0, at = i * m, mean = c * m; a < m; a++) {
          const x = delta[at + a];
          const y = x - deltaMeans[mean + a];
          d64[a] = x;
          r[a] = y;
          const ax = Math.abs(x);
          const ay = Math.abs(y);
          if (ax > dMax) dMax = ax;
          if (ay > rMax) rMax = ay;
          dSquares += x * x;
          rSquares += y * y;
        }
        let hMax = 0;
        let eMax = 0;
        let hSquares = 0;
        let eSquares = 0;
        for (let b = 0, at = i * n, mean = c * n; b < n; b++) {
          const x = h[at + b];
          const y = x - inputMeans[mean + b];
          h64[b] = x;
          e[b] = y;
          const ax = Math.abs(x);
          const ay = Math.abs(y);
          if (ax > hMax) hMax = ax;
          if (ay > eMax) eMax = ay;
          hSquares += x * x;
          eSquares += y * y;
        }
        const deltaNorm = normFrom(dMax, dSquares, d64);
        const centeredNorm = normFrom(rMax, rSquares, r);
        const deviationNorm = normFrom(eMax, eSquares, e);
        const inputNorm = normFrom(hMax, hSquares, h64);
        // ‖P⊥h‖ from the explicit residual h − Qᵀ(Qh), not from ‖h‖² − ‖Qh‖² (no cancellation).
        const offSpanInput = residualNorm(h64, Q, e, coefficients);
        const offSpanDelta = residualNorm(d64, Qdelta, r, coefficients);
        sums.deltaDeviation += deltaNorm * deviationNorm;
        sums.centeredDeltaDeviation += centeredNorm * deviationNorm;
        sums.centeredDeltaInput += centeredNorm * inputNorm;
        sums.deltaOffSpanInput += deltaNorm * offSpanInput;
        sums.centeredDeltaOffSpanInput += centeredNorm * offSpanInput;
        sums.offSpanDeltaDeviation += offSpanDelta * deviationNorm;
      }
      secondCount += labels.length;
    },

    result() {
      if (phase !== 'second') throw new Error('result: call startSecondPass and stream the second pass first');
      if (secondCount !== firstCount) throw new Error(`result: the second pass saw ${secondCount} samples, the first ${firstCount}`);
      return { sampleCount: firstCount, ...sums, spanRank: Q.rows, dualSpanRank: Qdelta.rows };
    },
  };
}

/**
 * euclideanNorm(x) from its largest magnitude and unscaled sum of squares (accumulated in index order):
 * the same value, without another pass unless scaling is needed.
 */
function normFrom(maxAbs: number, squares: number, x: Float64Array): number {
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return maxAbs;
  if (maxAbs > 1e-150 && maxAbs < 1e150) return Math.sqrt(squares);
  return euclideanNorm(x, 0, x.length);
}

/**
 * ‖x − Qᵀ(Qx)‖₂ for Q r×len with orthonormal rows, projected in `out` (overwritten, same length as x).
 * Four coefficients q·x are summed at once (independent chains, each in index order) and four rows are
 * subtracted per pass, in row order: the result is bit-identical to one row at a time.
 */
function residualNorm(x: Float64Array, Q: Matrix, out: Float64Array, coefficients: Float64Array): number {
  const len = x.length;
  const rows = Q.rows;
  const q = Q.data;
  let row = 0;
  for (; row + 3 < rows; row += 4) {
    const o0 = row * len;
    const o1 = o0 + len;
    const o2 = o1 + len;
    const o3 = o2 + len;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    for (let j = 0; j < len; j++) {
      const v = x[j];
      c0 += v * q[o0 + j];
      c1 += v * q[o1 + j];
      c2 += v * q[o2 + j];
      c3 += v * q[o3 + j];
    }
    coefficients[row] = c0;
    coefficients[row + 1] = c1;
    coefficients[row + 2] = c2;
    coefficients[row + 3] = c3;
  }
  for (; row < rows; row++) {
    const o = row * len;
    let c0 = 0;
    for (let j = 0; j < len; j++) c0 += x[j] * q[o + j];
    coefficients[row] = c0;
  }
  out.set(x);
  row = 0;
  for (; row + 3 < rows; row += 4) {
    const o0 = row * len;
    const o1 = o0 + len;
    const o2 = o1 + len;
    const o3 = o2 + len;
    const c0 = coefficients[row];
    const c1 = coefficients[row + 1];
    const c2 = coefficients[row + 2];
    const c3 = coefficients[row + 3];
    for (let j = 0; j < len; j++) out[j] = out[j] - c0 * q[o0 + j] - c1 * q[o1 + j] - c2 * q[o2 + j] - c3 * q[o3 + j];
  }
  for (; row < rows; row++) {
    const o = row * len;
    const c0 = coefficients[row];
    for (let j = 0; j < len; j++) out[j] -= c0 * q[o + j];
  }
  let maxAbs = 0;
  let squares = 0;
  for (let j = 0; j < len; j++) {
    const v = out[j];
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    squares += v * v;
  }
  return normFrom(maxAbs, squares, out);
}

function selectRows(X: Matrix, rows: number[]): Matrix {
  const data = new Float64Array(rows.length * X.cols);
  rows.forEach((r, i) => data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
  return { rows: rows.length, cols: X.cols, data };
}

/** ‖X (I − QᵀQ)‖_F for Q r×n with orthonormal rows, computed as ‖X − (XQᵀ)Q‖ (no cancellation of squares). */
function offSpanRight(X: Matrix, Q: Matrix): number {
  const { rows: m, cols: n } = X;
  const r = Q.rows;
  const out = Float64Array.from(X.data);
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < r; q++) {
      let coefficient = 0;
      for (let j = 0; j < n; j++) coefficient += X.data[i * n + j] * Q.data[q * n + j];
      for (let j = 0; j < n; j++) out[i * n + j] -= coefficient * Q.data[q * n + j];
    }
  }
  return euclideanNorm(out, 0, out.length);
}

/** ‖(I − QᵀQ) X‖_F for Q r×m with orthonormal rows. */
function offSpanLeft(X: Matrix, Q: Matrix): number {
  const { rows: m, cols: n } = X;
  const out = Float64Array.from(X.data);
  const coefficients = new Float64Array(n);
  for (let q = 0; q < Q.rows; q++) {
    coefficients.fill(0);
    for (let i = 0; i < m; i++) {
      const weight = Q.data[q * m + i];
      for (let j = 0; j < n; j++) coefficients[j] += weight * X.data[i * n + j];
    }
    for (let i = 0; i < m; i++) {
      const weight = Q.data[q * m + i];
      for (let j = 0; j < n; j++) out[i * n + j] -= weight * coefficients[j];
    }
  }
  return euclideanNorm(out, 0, out.length);
}
