/**
 * Exports a store table to CSV or JSON Lines in tidy form: every row carries its trial key and the trial's grid
 * values (`weightDecay`, `seed`, …), so a plotting tool needs no join.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { decodeSpectrum } from './spectrum-blob.js';
import type { SweepStore } from './sweep-store.js';

/** Tables that can be exported. */
export const EXPORT_TABLES = ['trials', 'epochs', 'layers', 'spectra'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export type ExportFormat = 'csv' | 'jsonl';

/**
 * Writes `table` of `store` to `path` (parent folders created) and returns the number of records written.
 * CSV has a header row; its columns are the union of the records' fields in order of first appearance;
 * missing and null values are empty cells. Spectra in CSV are long form (one singular value per line, `rank`
 * 1-based); in JSONL one record per layer with a `singularValues` array.
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
  const axes = new Map<string, Record<string, unknown>>();
  for (const row of store.db.prepare('SELECT key, axes FROM trials').iterate() as Iterable<{ key: string; axes: string }>) {
    axes.set(row.key, JSON.parse(row.axes));
  }
  const prefix = (trial: string): Row => ({ trial, ...axes.get(trial) });
  switch (table) {
    case 'trials':
      for (const trial of store.listTrials()) {
        const { key, axes: trialAxes, config, timings, ...rest } = trial;
        yield { trial: key, ...trialAxes, ...rest, epochMs: timings?.epochMs, config };
      }
      return;
    case 'epochs':
      for (const row of store.db.prepare('SELECT trial, metrics FROM epochs ORDER BY trial, epoch').iterate() as Iterable<{ trial: string; metrics: string }>) {
        yield { ...prefix(row.trial), ...JSON.parse(row.metrics) };
      }
      return;
    case 'layers':
      for (const row of store.db.prepare('SELECT trial, epoch, row FROM layers ORDER BY trial, epoch, layer_index').iterate() as Iterable<{
        trial: string;
        epoch: number;
        row: string;
      }>) {
        yield { ...prefix(row.trial), epoch: row.epoch, ...JSON.parse(row.row) };
      }
      return;
    case 'spectra':
      for (const row of store.db
        .prepare('SELECT trial, epoch, layer_index, singular_values FROM spectra ORDER BY trial, epoch, layer_index')
        .iterate() as Iterable<{ trial: string; epoch: number; layer_index: number; singular_values: Buffer }>) {
        const values = decodeSpectrum(row.singular_values);
        const base = { ...prefix(row.trial), epoch: row.epoch, layerIndex: row.layer_index };
        if (format === 'jsonl') yield { ...base, singularValues: [...values] };
        else for (let i = 0; i < values.length; i++) yield { ...base, rank: i + 1, singularValue: values[i] };
      }
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
