/**
 * Reads a sweep store into {@link ReportData}. The store is opened read-only and closed before returning, so
 * this is safe while a sweep is writing (SQLite WAL readers see the last committed state).
 */
import { existsSync } from 'node:fs';
import type { CompressionResult } from '@rank-collapse/rows';
import { openSweepStore, type StoredTrial, type SweepStore } from '@rank-collapse/sweep';
import type { ReportCompression, ReportData, ReportEpoch, ReportLayerRow, ReportSpectrum, ReportTrial } from '../report-data.js';
import { modelLabel, trialGroup, trialLabel } from './trial-labels.js';

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Options of {@link loadReportData}. */
export interface LoadReportDataOptions {
  /** Only trials of this sweep (a store may hold several). Default: all. */
  sweep?: string;
}

/**
 * The fixed-rank truncations of the trial's last compressed epoch, in the figure's form (energy-based ones give
 * each layer its own rank, so they have no place on a rank axis).
 */
function reportCompression(results: readonly CompressionResult[]): ReportCompression[] {
  const last = results.reduce((max, result) => Math.max(max, result.epoch), -Infinity);
  return results
    .filter((result) => result.epoch === last)
    .flatMap((result): ReportCompression[] =>
      'rank' in result.choice
        ? [{ rank: result.choice.rank, accuracy: result.accuracy, split: result.split, ...(result.paramsAfter !== null && { paramsAfter: result.paramsAfter }) }]
        : [],
    )
    .sort((a, b) => a.rank - b.rank);
}

function reportTrial(store: SweepStore, trial: StoredTrial): ReportTrial {
  const { config } = trial;
  // Stores written by other programs may lack these; the report then shows what it can.
  const weightDecay = numberOrNull(config.training?.weightDecay) ?? 0;
  const seed = numberOrNull(config.seed) ?? 0;
  const model = modelLabel(config.model);
  const dataset = typeof config.dataset?.name === 'string' ? config.dataset.name : '?';
  const epochs: ReportEpoch[] = store.epochs(trial.key).map((row) => ({
    epoch: row.epoch,
    trainLoss: numberOrNull(row.trainLoss),
    trainAccuracy: numberOrNull(row.trainAccuracy),
    testLoss: numberOrNull(row.testLoss),
    testAccuracy: numberOrNull(row.testAccuracy),
  }));
  const layers: ReportLayerRow[] = store.layers(trial.key);
  // Spectra of the latest checkpoint only: the figures draw nothing else, and full histories can be large.
  const latest = layers.reduce((max, row) => Math.max(max, row.epoch), -Infinity);
  const spectra: ReportSpectrum[] = [];
  for (const row of layers) {
    if (row.epoch !== latest) continue;
    const values = store.spectrum(trial.key, row.epoch, row.index);
    if (values) spectra.push({ epoch: row.epoch, layerIndex: row.index, singularValues: Array.from(values) });
  }
  return {
    key: trial.key,
    label: trialLabel(weightDecay, seed, trial.axes),
    group: trialGroup(model, dataset, trial.axes),
    status: trial.status,
    config: { weightDecay, seed, model, dataset, epochs: numberOrNull(config.training?.epochs), raw: trial.config },
    axes: trial.axes,
    error: trial.error,
    durationMs: trial.durationMs,
    epochs,
    layers,
    spectra,
    compression: reportCompression(store.compression(trial.key)),
  };
}

/**
 * Builds the report's data from the SQLite store at `path`.
 * @throws Error when the file does not exist or is not a sweep store.
 */
export function loadReportData(path: string, options: LoadReportDataOptions = {}): ReportData {
  if (!existsSync(path)) throw new Error(`loadReportData: no sweep store at ${path}`);
  const store = openSweepStore(path, { readonly: true });
  try {
    const sweeps = store.sweeps().filter((s) => options.sweep === undefined || s.name === options.sweep);
    const trials = store.trials(options.sweep === undefined ? {} : { sweep: options.sweep }).map((trial) => reportTrial(store, trial));
    return { sweeps, source: path, generatedAt: new Date().toISOString(), trials };
  } finally {
    store.close();
  }
}
