/**
 * The report's input: plain typed data, built from a sweep store by `loadReportData` or in memory by tests and
 * other tools. Every figure and table is a pure function of this object.
 */
import type { StoredLayerRecord, TrialStatus } from '@rank-collapse/rows';

/** Lifecycle of a trial, as the sweep store records it. @deprecated use `TrialStatus` of `@rank-collapse/rows`. */
export type ReportTrialStatus = TrialStatus;

/** One epoch of training. Losses are mean cross-entropy in nats; accuracies are fractions in [0, 1]; null = not measured. */
export interface ReportEpoch {
  /** 1-based epoch just completed (0 = before training). */
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

/**
 * One analysis row of one layer at one checkpoint, as the store gives it back (`epoch` is the checkpoint).
 * Rows written by older or newer analysis versions may miss fields: readers treat a missing field like null.
 */
export type ReportLayerRow = StoredLayerRecord & {
  /** Singular values, descending, when in-memory data carries them on the row (a store keeps them in `spectra`). */
  singularValues?: number[];
};

/** Singular values of one layer at one checkpoint, descending. */
export interface ReportSpectrum {
  epoch: number;
  /** LayerRow.index of the layer. */
  layerIndex: number;
  singularValues: number[];
}

/** Accuracy of a trial's final model after replacing W by its best rank-r approximation. */
export interface ReportCompression {
  /** Rank kept (r ≥ 1). */
  rank: number;
  /** Accuracy in [0, 1] on `split` after the truncation. */
  accuracy: number;
  /** Which data the accuracy was measured on. Default 'test'. */
  split?: 'train' | 'test';
  /** Truncated layer, or undefined when every dense layer was truncated to r. */
  layer?: string;
  /** Parameter count after factorization, if known. */
  paramsAfter?: number;
}

/** The parts of a trial's config the report reads (the full config is kept in `raw`). */
export interface ReportTrialConfig {
  /** λ ≥ 0, the weight-decay coefficient. */
  weightDecay: number;
  seed: number;
  /** Short description of the model, e.g. `mlp 512-512-512`. */
  model: string;
  /** Dataset name, e.g. `mnist`. */
  dataset: string;
  /** Epochs the trial is configured to train. */
  epochs: number | null;
  /** The complete resolved config as stored. */
  raw: unknown;
}

export interface ReportTrial {
  /** Trial key (hash of the resolved config). */
  key: string;
  /** Label shown in legends and tables; built from the grid values when not given. */
  label: string;
  /** Trials with the same group share everything but λ and seed; lines of one group are drawn together. */
  group: string;
  status: TrialStatus;
  config: ReportTrialConfig;
  /** Grid values of this trial, by axis name. */
  axes: Record<string, unknown>;
  /** Error message (failed) or divergence reason (diverged). */
  error: string | null;
  durationMs: number | null;
  epochs: ReportEpoch[];
  layers: ReportLayerRow[];
  spectra: ReportSpectrum[];
  compression: ReportCompression[];
}

export interface ReportData {
  /** Sweep name(s) the trials belong to. */
  sweeps: Array<{ name: string; file: string | null }>;
  /** Where the data came from (a store path), for the report's header. */
  source: string | null;
  /** ISO time the data was read. */
  generatedAt: string;
  trials: ReportTrial[];
}
