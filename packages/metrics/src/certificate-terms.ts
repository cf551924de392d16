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
    offSpanE: offSpanRight(Em, Q),
    offSpanR: offSpanRight(Rm, Q),
    dualTcvBound,
    dualTcvBoundFull: dualTcvBound === null ? null : dualTcvBound + normR,
    dualOffSpanE: offSpanLeft(Em, Qdelta),
    dualOffSpanR: offSpanLeft(Rm, Qdelta),
  };
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
