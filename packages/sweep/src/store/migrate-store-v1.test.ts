/**
 * A store written by the release before compression results had a table of their own
 * (__fixtures__/store-v1/make-store-v1.sh): read-only it reads as the current schema, and opened for writing it is
 * migrated with the same rows.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../__fixtures__/database-of.js';
import { exportTable } from './export-table.js';
import { splitLegacyCompression } from './legacy-compression.js';
import { SCHEMA_VERSION } from './migrations.js';
import { openSweepStore } from './sweep-store.js';

const FIXTURE = new URL('../__fixtures__/store-v1/store-v1.sqlite', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'store-v1-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const copy = (name: string): string => {
  const path = join(dir, name);
  copyFileSync(FIXTURE, path);
  return path;
};

describe('a store of schema version 1', () => {
  const readonly = openSweepStore(copy('readonly.sqlite'), { readonly: true });
  const trials = readonly.trials();
  const layersBefore = new Map(trials.map((t) => [t.key, readonly.layers(t.key)]));
  const compressionBefore = new Map(trials.map((t) => [t.key, readonly.compression(t.key)]));
  readonly.close();

  it('read-only: compression results come from the final layer rows, and the rows lose those fields', () => {
    expect(trials.map((t) => [t.axes.weightDecay, t.status])).toEqual([
      [0, 'done'],
      [1e-3, 'done'],
    ]);
    for (const trial of trials) {
      const rows = layersBefore.get(trial.key)!;
      expect(rows.map((r) => `${r.epoch}:${r.layer}`)).toEqual(['0:dense1', '0:dense2', '2:dense1', '2:dense2']);
      for (const row of rows) {
        expect(Object.keys(row).filter((field) => field.startsWith('compressed') || field === 'testAccuracy')).toEqual([]);
        expect(row.weightDecay).toBe(trial.axes.weightDecay);
        expect(row['numericalRank@0.01']).toBeTypeOf('number');
      }
      const results = compressionBefore.get(trial.key)!;
      expect(results.map((r) => [r.label, r.choice, r.epoch, r.accuracy, r.baselineAccuracy, r.paramsAfter])).toEqual([
        ['rank=K', { rank: 10 }, 2, 0.18, 0.12, 2222],
        ['rank=4', { rank: 4 }, 2, 0.14, 0.12, 942],
        ['energy=0.01', { energy: 0.01 }, 2, 0.12, 0.12, 2494],
      ]);
      // dense1 (12×196) is truncated to K = 10; the 10×12 classifier would save nothing at rank 10 and stays.
      expect(results[0].layers.map((l) => [l.layer, l.index, l.rank])).toEqual([
        ['dense1', 0, 10],
        ['dense2', 1, null],
      ]);
      expect(results[0].layers[0].relativeError).toBeCloseTo(rows.find((r) => r.epoch === 2 && r.index === 0)!.relativeTailK!, 12);
    }
  });

  it('opened for writing: migrated to the current schema with the same rows, once', () => {
    const path = copy('writable.sqlite');
    const store = openSweepStore(path);
    try {
      expect(store.schemaVersion).toBe(SCHEMA_VERSION);
      for (const trial of trials) {
        expect(store.layers(trial.key)).toEqual(layersBefore.get(trial.key));
        expect(store.compression(trial.key).sort((a, b) => a.label.localeCompare(b.label))).toEqual(
          [...compressionBefore.get(trial.key)!].sort((a, b) => a.label.localeCompare(b.label)),
        );
        expect(store.epochs(trial.key).map((e) => e.epoch)).toEqual([1, 2]);
        expect(store.spectrum(trial.key, 2, 0)).toHaveLength(12);
      }
      const db = databaseOf(store);
      expect(db.prepare("SELECT COUNT(*) AS n FROM layers WHERE row LIKE '%compressed%'").get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM compression').get()).toEqual({ n: 6 });
    } finally {
      store.close();
    }
    const again = openSweepStore(path);
    try {
      expect(databaseOf(again).prepare('SELECT COUNT(*) AS n FROM compression').get()).toEqual({ n: 6 });
      expect(again.compression(trials[0].key)).toHaveLength(3);
    } finally {
      again.close();
    }
  });

  it('exports compression results as a table of their own, and layer rows without them', async () => {
    const store = openSweepStore(copy('export.sqlite'), { readonly: true });
    try {
      expect(await exportTable(store, 'compression', 'jsonl', join(dir, 'compression.jsonl'))).toBe(6);
      const first = JSON.parse(readFileSync(join(dir, 'compression.jsonl'), 'utf8').split('\n')[0]);
      expect(first).toMatchObject({ trial: expect.any(String), weightDecay: expect.any(Number), epoch: 2, split: 'test' });
      await exportTable(store, 'layers', 'csv', join(dir, 'layers.csv'));
      expect(readFileSync(join(dir, 'layers.csv'), 'utf8').split('\n')[0]).not.toMatch(/compressed/);
    } finally {
      store.close();
    }
  });
});

describe('splitLegacyCompression', () => {
  it('takes every label of each epoch once, layers in row order, and keeps rows without such fields as they are', () => {
    const rows = [
      { epoch: 3, index: 0, layer: 'a', K: 10, 'compressedAccuracy[rank=K]': 0.5, 'compressedRank[rank=K]': null, 'compressedParams[rank=K]': 900 },
      { epoch: 10, index: 0, layer: 'a', K: 10, testAccuracy: 0.93, 'compressedAccuracy[rank=K]': 0.91, 'compressedRank[rank=K]': 10, 'compressedParams[rank=K]': 1234, 'compressedAccuracy[energy=0.01]': 0.95, 'compressedRank[energy=0.01]': 40 },
      { epoch: 10, index: 1, layer: 'b', K: 10, testAccuracy: 0.93, 'compressedAccuracy[rank=K]': 0.91, 'compressedRank[rank=K]': null, 'compressedAccuracy[rank=3]': 0.4, 'compressedRank[rank=3]': 3 },
      { epoch: 10, index: 2, layer: 'c', K: 10, stableRank: 2 },
    ];
    const { rows: cleaned, compression } = splitLegacyCompression(rows);
    expect(cleaned).toEqual([
      { epoch: 3, index: 0, layer: 'a', K: 10 },
      { epoch: 10, index: 0, layer: 'a', K: 10 },
      { epoch: 10, index: 1, layer: 'b', K: 10 },
      { epoch: 10, index: 2, layer: 'c', K: 10, stableRank: 2 },
    ]);
    expect(cleaned[3]).toBe(rows[3]);
    expect(compression.map((c) => [c.epoch, c.label, c.choice, c.accuracy, c.baselineAccuracy, c.paramsAfter, c.layers.map((l) => `${l.layer}:${l.rank}`)])).toEqual([
      [3, 'rank=K', { rank: 10 }, 0.5, null, 900, ['a:null']],
      [10, 'rank=K', { rank: 10 }, 0.91, 0.93, 1234, ['a:10', 'b:null']],
      [10, 'energy=0.01', { energy: 0.01 }, 0.95, 0.93, null, ['a:40']],
      [10, 'rank=3', { rank: 3 }, 0.4, 0.93, null, ['b:3']],
    ]);
    expect(splitLegacyCompression([])).toEqual({ rows: [], compression: [] });
  });
});
