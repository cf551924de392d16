/**
 * Reads a sweep store into {@link ReportData}. The store is opened read-only and closed before returning, so
 * this is safe while a sweep is writing (SQLite WAL readers see the last committed state).
 */
import { existsSync } from 'node:fs';
import { openSweepStore, type StoredTrial, type SweepStore } from '@rank-collapse/sweep';
import type { ReportData, ReportEpoch, ReportLayerRow, ReportSpectrum, ReportTrial } from '../report-data.js';
import { modelLabel, trialGroup, trialLabel } from './trial-labels.js';

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Options of {@link loadReportData}. */
export interface LoadReportDataOptions {
  /** Only trials of this sweep (a store may hold several). Default: all. */
  sweep?: string;
}

function reportTrial(store: SweepStore, trial: StoredTrial): ReportTrial {
  const config = trial.config as unknown as Record<string, Record<string, unknown> | undefined>;
  const weightDecay = numberOrNull(config.training?.weightDecay) ?? 0;
  const seed = numberOrNull((trial.config as unknown as Record<string, unknown>).seed) ?? 0;
  const model = modelLabel(config.model);
  const dataset = typeof config.dataset?.name === 'string' ? config.dataset.name : '?';
  const epochs: ReportEpoch[] = store.epochs(trial.key).map((row) => ({
    epoch: row.epoch,
    trainLoss: numberOrNull(row.trainLoss),
    trainAccuracy: numberOrNull(row.trainAccuracy),
    testLoss: numberOrNull(row.testLoss),
    testAccuracy: numberOrNull(row.testAccuracy),
  }));
  const layers = store.layers(trial.key) as unknown as ReportLayerRow[];
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
    // The store has no compression results yet; callers with results pass ReportData directly.
    compression: [],
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
    const sweeps = (store.db.prepare('SELECT name, file FROM sweeps ORDER BY name').all() as Array<{ name: string; file: string | null }>).filter(
      (s) => options.sweep === undefined || s.name === options.sweep,
    );
    const trials = store.listTrials(options.sweep === undefined ? {} : { sweep: options.sweep }).map((trial) => reportTrial(store, trial));
    return { sweeps, source: path, generatedAt: new Date().toISOString(), trials };
  } finally {
    store.close();
  }
}
