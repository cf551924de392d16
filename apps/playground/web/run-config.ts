/** What one playground run trains, and how the page reads it from its controls or its address (?width=…). */

/** The TensorFlow.js backends the page offers. */
export const BACKEND_KINDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

export const DATASET_KINDS = ['mnist', 'gaussian-mixture'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export interface RunConfig {
  /** `mnist`: the shipped 2000/500 balanced subset (784 pixels); `gaussian-mixture`: K = 10 seeded Gaussians in D = 64. */
  readonly dataset: DatasetKind;
  /** Units of every hidden layer. */
  readonly width: number;
  /** Hidden layers (the MLP has depth + 1 weight matrices). */
  readonly depth: number;
  /** λ of (λ/2)Σ‖W‖², coupled to SGD as in @rank-collapse/training. */
  readonly weightDecay: number;
  /** η, constant. */
  readonly lr: number;
  readonly momentum: number;
  readonly batchSize: number;
  /** SGD steps to run. */
  readonly steps: number;
  /** Analyze (spectra, collapse, certificate, accuracy) every this many steps, and at step 0 and at the end. */
  readonly analyzeEvery: number;
  /** Initialization and batch order, as `train({ options: { seed } })`. */
  readonly seed: number;
  readonly backend: BackendKind;
}

/** The two runs side by side differ only in λ. */
export interface PageConfig {
  readonly base: Omit<RunConfig, 'weightDecay'>;
  readonly weightDecays: readonly [number, number];
}

export const DEFAULT_PAGE_CONFIG: PageConfig = {
  base: { dataset: 'mnist', width: 128, depth: 3, lr: 0.1, momentum: 0.9, batchSize: 64, steps: 500, analyzeEvery: 50, seed: 0, backend: 'wasm' },
  weightDecays: [0, 1e-2],
};

/** Limits the controls enforce, so a typo cannot freeze the tab. */
export const LIMITS = {
  width: [4, 512],
  depth: [1, 6],
  batchSize: [8, 500],
  steps: [1, 20000],
  analyzeEvery: [1, 5000],
  lr: [1e-5, 2],
  weightDecay: [0, 1],
} as const;

const clamp = (value: number, [low, high]: readonly [number, number]): number => Math.min(high, Math.max(low, value));

/**
 * Reads a page config from address parameters (`dataset`, `width`, `depth`, `lr`, `batch`, `steps`, `every`,
 * `seed`, `backend`, `lambdaA`, `lambdaB`); missing or unreadable values keep the defaults, numbers are clamped
 * to {@link LIMITS}.
 */
export function pageConfigFromParams(params: URLSearchParams, defaults: PageConfig = DEFAULT_PAGE_CONFIG): PageConfig {
  const number = (key: string, fallback: number, limits?: readonly [number, number], integer = false): number => {
    const raw = params.get(key);
    const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) return fallback;
    const bounded = limits ? clamp(value, limits) : value;
    return integer ? Math.round(bounded) : bounded;
  };
  const choice = <T extends string>(key: string, options: readonly T[], fallback: T): T => {
    const raw = params.get(key);
    return options.includes(raw as T) ? (raw as T) : fallback;
  };
  const b = defaults.base;
  return {
    base: {
      dataset: choice('dataset', DATASET_KINDS, b.dataset),
      width: number('width', b.width, LIMITS.width, true),
      depth: number('depth', b.depth, LIMITS.depth, true),
      lr: number('lr', b.lr, LIMITS.lr),
      momentum: b.momentum,
      batchSize: number('batch', b.batchSize, LIMITS.batchSize, true),
      steps: number('steps', b.steps, LIMITS.steps, true),
      analyzeEvery: number('every', b.analyzeEvery, LIMITS.analyzeEvery, true),
      seed: number('seed', b.seed, [0, 2 ** 31], true),
      backend: choice('backend', BACKEND_KINDS, b.backend),
    },
    weightDecays: [number('lambdaA', defaults.weightDecays[0], LIMITS.weightDecay), number('lambdaB', defaults.weightDecays[1], LIMITS.weightDecay)],
  };
}

/** The config of run `index` (0 or 1). */
export const runConfig = (page: PageConfig, index: 0 | 1): RunConfig => ({ ...page.base, weightDecay: page.weightDecays[index] });
