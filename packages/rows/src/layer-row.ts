/**
 * The tidy per-layer row of an analysis: one per analyzable layer (and checkpoint). The store, the report and
 * `--json` output consume exactly these fields; their names are the constants below.
 */
import { CERTIFICATE_FIELDS, SPECTRAL_METRIC_FIELDS, type CertificateTerms, type SpectralMetrics } from '@rank-collapse/metrics';

/** Collapse metrics kept per layer, for the layer input h_{l−1} (prefix `input`) and the backward signal δ_l (prefix `delta`). */
export const COLLAPSE_FIELDS = [
  'tcv',
  'scaleFreeTcv',
  'nc1',
  'traceRatio',
  'cdnv',
  'betweenEffectiveRank',
  'nc2Equinorm',
  'nc2Equiangularity',
  'maxNorm',
] as const;
export type CollapseField = (typeof COLLAPSE_FIELDS)[number];

type Prefixed<P extends string, F extends string> = { [K in F as `${P}${Capitalize<K>}`]: number | null };

/** `prefixed('input', 'tcv')` = `inputTcv`: the row field of a collapse metric of the layer input or δ. */
export const prefixed = <P extends string, F extends string>(prefix: P, field: F): `${P}${Capitalize<F>}` =>
  `${prefix}${field[0].toUpperCase()}${field.slice(1)}` as `${P}${Capitalize<F>}`;

/** Certificate fields carried in the row (τ_K is already a spectral field). */
export const ROW_CERTIFICATE_FIELDS = CERTIFICATE_FIELDS.filter((f) => f !== 'tailK') as Exclude<(typeof CERTIFICATE_FIELDS)[number], 'tailK'>[];

/**
 * The kinds of layer a row describes: the roles a weight matrix can have in a model file. The same list as
 * `WEIGHT_ROLES` of `@rank-collapse/model-files` (a test keeps them equal), declared here so that the contract
 * needs no file readers.
 */
export const LAYER_KINDS = ['dense', 'conv', 'conv-transpose', 'recurrent-input', 'recurrent-hidden', 'embedding', 'einsum'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export type LayerRow = {
  /** Layer name as in the model (e.g. `dense2`, or the node name of an imported model). */
  layer: string;
  /** 0-based position among analyzable layers. */
  index: number;
  /** What W does: `dense` and `conv` for layers of a graph; any weight role of a model file in weights-only analyses. */
  kind: LayerKind;
  /** W as analyzed: m×n (conv: C_out × C_in·k_h·k_w). */
  rows: number;
  cols: number;
  /** K, the rank the tails are measured against (number of classes); null in a weights-only analysis of a model whose K is unknown. */
  K: number | null;
  /** Singular values of W, descending, when requested. */
  singularValues?: number[];
} & Omit<SpectralMetrics, 'tailK' | 'relativeTailK'> & {
    /** τ_K; null when K is unknown. */
    tailK: number | null;
    /** τ_K/‖W‖_F; null when K is unknown. */
    relativeTailK: number | null;
  } &
  Prefixed<'input', CollapseField> &
  Prefixed<'delta', CollapseField> &
  { [F in (typeof ROW_CERTIFICATE_FIELDS)[number]]: CertificateTerms[F] | null } & {
    /** NC3 self-duality of the classifier (last layer only), else null. */
    nc3: number | null;
    /** NC4 disagreement of the classifier with the nearest class mean of its input (last layer only), else null. */
    nc4: number | null;
  };

/** Every numeric field of a LayerRow in a stable order (CSV columns, report tables). */
export const LAYER_ROW_FIELDS = [
  'layer',
  'index',
  'kind',
  'rows',
  'cols',
  'K',
  ...SPECTRAL_METRIC_FIELDS,
  ...COLLAPSE_FIELDS.map((f) => prefixed('input', f)),
  ...COLLAPSE_FIELDS.map((f) => prefixed('delta', f)),
  ...ROW_CERTIFICATE_FIELDS,
  'nc3',
  'nc4',
] as const;
