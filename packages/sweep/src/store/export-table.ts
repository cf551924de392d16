/**
 * Exports a store table to CSV or JSON Lines in tidy form: every row carries its trial key and the trial's grid
 * values (`weightDecay`, `seed`, …), so a plotting tool needs no join.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { SweepStore } from './sweep-store.js';

/** Tables that can be exported. */
export const EXPORT_TABLES = ['trials', 'epochs', 'layers', 'spectra', 'compression'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export type ExportFormat = 'csv' | 'jsonl';

/**
 * Writes `table` of `store` to `path` (parent folders created) and returns the number of records written.
 * CSV has a header row; its columns are the union of the records' fields in order of first appearance;
 * missing and null values are empty cells. Spectra in CSV are long form (one singular value per line, `rank`
 * 1-based); in JSONL one record per layer with a `singularValues` array. Compression results: one record per
 * truncation (`label`, `choice`, accuracies, parameter counts) with its `layers` (JSON in a CSV cell).
 * @throws Error for an unknown table or format, or when the file cannot be written.
 */
export async function exportTable(store: SweepStore, table: ExportTable, format: ExportFormat, path: string): Promise<number> {
  if (!EXPORT_TABLES.includes(table)) throw new Error(`exportTable: unknown table "${table}" (expected one of ${EXPORT_TABLES.join(', ')})`);
  if (format !== 'csv' && format !== 'jsonl') throw new Error(`exportTable: unknown format "${format}" (expected csv or jsonl)`);
  const records = [...tableRecords(store, table, format)];
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (format === 'jsonl') {
    for (const record of records) await write(`${JSON.stringify(record)}\n`);
  } else {
    const columns = columnsOf(records);
    await write(`${columns.map(csvCell).join(',')}\n`);
    for (const record of records) await write(`${columns.map((column) => csvCell(record[column])).join(',')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return records.length;
}

type Row = Record<string, unknown>;

function* tableRecords(store: SweepStore, table: ExportTable, format: ExportFormat): Generator<Row> {
  const trials = store.trials();
  const axes = new Map<string, Record<string, unknown>>(trials.map((trial) => [trial.key, trial.axes]));
  const prefix = (trial: string): Row => ({ trial, ...axes.get(trial) });
  switch (table) {
    case 'trials':
      for (const trial of trials) {
        const { key, axes: trialAxes, config, timings, ...rest } = trial;
        yield { trial: key, ...trialAxes, ...rest, epochMs: timings?.epochMs, config };
      }
      return;
    case 'epochs':
      for (const { trial, record } of store.allEpochs()) yield { ...prefix(trial), ...record };
      return;
    case 'layers':
      for (const { trial, record } of store.allLayers()) yield { ...prefix(trial), ...record };
      return;
    case 'spectra':
      for (const { trial, epoch, layerIndex, singularValues } of store.allSpectra()) {
        const base = { ...prefix(trial), epoch, layerIndex };
        if (format === 'jsonl') yield { ...base, singularValues: [...singularValues] };
        else for (let i = 0; i < singularValues.length; i++) yield { ...base, rank: i + 1, singularValue: singularValues[i] };
      }
      return;
    case 'compression':
      for (const { trial, result } of store.allCompression()) yield { ...prefix(trial), ...result };
      return;
  }
}

function columnsOf(records: readonly Row[]): string[] {
  const columns = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) columns.add(key);
  return [...columns];
}

/** One CSV cell (RFC 4180): numbers in shortest round-trip form, objects as JSON, quoted when needed. */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
