import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSweepStore, type SweepStore } from './sweep-store.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.js';
import { exportTable } from './export-table.js';
import { decodeSpectrum, encodeSpectrum } from './spectrum-blob.js';
import { smallSweep } from '../__fixtures__/small-sweep.js';
import { databaseOf } from '../__fixtures__/database-of.js';

const dirs: string[] = [];
const stores: SweepStore[] = [];
function fresh(): { dir: string; store: SweepStore } {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-store-'));
  dirs.push(dir);
  const store = openSweepStore(join(dir, 'nested', 'sweep.sqlite'));
  stores.push(store);
  return { dir, store };
}
afterEach(() => {
  stores.splice(0).forEach((store) => store.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

describe('openSweepStore', () => {
  it('creates a WAL database at the current schema version', () => {
    const { store } = fresh();
    expect(databaseOf(store).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(databaseOf(store).prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: String(SCHEMA_VERSION) });
  });

  it('migrates an older file forward and refuses a newer one', () => {
    const db = new Database(':memory:');
    const extra = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, description: 'test', up: (d: Database.Database) => d.exec('CREATE TABLE later (x INTEGER)') }];
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db, extra)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'later'").get()).toEqual({ name: 'later' });
    expect(() => migrate(db)).toThrow(`schema version ${SCHEMA_VERSION + 1} is newer than this version of @rank-collapse/sweep understands (${SCHEMA_VERSION})`);
  });
});

describe('SweepStore', () => {
  it('adds trials once, as queued, and counts statuses', () => {
    const { store } = fresh();
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    expect(store.addTrials(sweep.name, sweep.trials)).toBe(6);
    expect(store.addTrials(sweep.name, sweep.trials)).toBe(0);
    expect(store.statusCounts('small')).toEqual({ queued: 6, running: 0, done: 0, failed: 0, diverged: 0 });
    expect(store.listTrials().map((t) => t.key)).toEqual(sweep.trials.map((t) => t.key));
    expect(store.getTrial(sweep.trials[1].key)?.axes).toEqual({ weightDecay: 0, seed: 2 });
  });

  it('upserts epoch, layer and spectrum rows without duplicates, keeping the last write', () => {
    const { store } = fresh();
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    store.addTrials(sweep.name, sweep.trials);
    const key = sweep.trials[0].key;
    store.recordEpoch(key, { epoch: 1, trainLoss: 2, testAccuracy: 0.5 });
    store.recordEpoch(key, { epoch: 1, trainLoss: 1.5, testAccuracy: 0.6 });
    store.recordEpoch(key, { epoch: 2, trainLoss: Number.NaN });
    expect(store.epochs(key)).toEqual([
      { epoch: 1, trainLoss: 1.5, testAccuracy: 0.6 },
      { epoch: 2, trainLoss: null },
    ]);
    expect(databaseOf(store).prepare('SELECT train_loss, test_accuracy FROM epochs WHERE trial = ? ORDER BY epoch').all(key)).toEqual([
      { train_loss: 1.5, test_accuracy: 0.6 },
      { train_loss: null, test_accuracy: null },
    ]);
    const rows = [
      { index: 0, layer: 'dense0', stableRank: 1.5, singularValues: [3, 1 / 3] },
      { index: 1, layer: 'dense1', stableRank: 1.1 },
    ];
    store.recordLayers(key, 3, rows);
    store.recordLayers(key, 3, rows);
    expect(store.layers(key)).toEqual([
      { epoch: 3, index: 0, layer: 'dense0', stableRank: 1.5 },
      { epoch: 3, index: 1, layer: 'dense1', stableRank: 1.1 },
    ]);
    expect([...store.spectrum(key, 3, 0)!]).toEqual([3, 1 / 3]);
    expect(store.spectrum(key, 3, 1)).toBeUndefined();
  });

  it('keeps compression results in their own table, upserted by epoch and label, discarded with the rows after a checkpoint', () => {
    const { store } = fresh();
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    store.addTrials(sweep.name, sweep.trials);
    const key = sweep.trials[0].key;
    const result = (epoch: number, accuracy: number) => ({
      epoch, label: 'rank=K', choice: { rank: 10 }, split: 'test' as const, accuracy, baselineAccuracy: 0.9, paramsBefore: 1000, paramsAfter: 400,
      layers: [{ layer: 'dense0', index: 0, rank: 10, relativeError: 0.25 }],
    });
    store.recordCompression(key, result(3, 0.5));
    store.recordCompression(key, result(3, 0.75));
    store.recordCompression(key, { ...result(3, 0.6), label: 'energy=0.01', choice: { energy: 0.01 } });
    expect(store.compression(key).map((c) => [c.label, c.accuracy])).toEqual([
      ['energy=0.01', 0.6],
      ['rank=K', 0.75],
    ]);
    expect(store.compression(key)[1]).toEqual(result(3, 0.75));
    expect(store.compression(sweep.trials[1].key)).toEqual([]);
    store.discardAfter(key, 2);
    expect(store.compression(key)).toEqual([]);
  });

  it('starts attempts from the latest checkpoint and discards the rows after it', () => {
    const { store } = fresh();
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    store.addTrials(sweep.name, sweep.trials);
    const key = sweep.trials[0].key;
    expect(store.startAttempt(key, 'w1')).toEqual({ attempt: 1, resumeFrom: undefined });
    for (const epoch of [1, 2, 3]) store.recordEpoch(key, { epoch, trainLoss: epoch });
    store.saveCheckpoint(key, { epoch: 1, data: new Uint8Array([1]) });
    store.saveCheckpoint(key, { epoch: 2, data: new Uint8Array([2, 2]) });
    store.recordLayers(key, 3, [{ index: 0, layer: 'a', singularValues: [1] }]);
    expect(databaseOf(store).prepare('SELECT COUNT(*) AS n FROM checkpoints').get()).toEqual({ n: 1 });
    expect(store.requeueRunning('small')).toEqual([key]);
    const second = store.startAttempt(key, 'w2');
    expect(second.attempt).toBe(2);
    expect(second.resumeFrom).toEqual({ epoch: 2, data: new Uint8Array([2, 2]) });
    expect(store.epochs(key).map((row) => row.epoch)).toEqual([1, 2]);
    expect(store.layers(key)).toEqual([]);
    expect(store.spectrum(key, 3, 0)).toBeUndefined();
    store.finishAttempt(key, { status: 'done', durationMs: 12, epochMs: [4, 8] });
    expect(store.getTrial(key)).toMatchObject({ status: 'done', attempts: 2, worker: 'w2', durationMs: 12, timings: { epochMs: [4, 8] } });
    store.finishAttempt(sweep.trials[1].key, { status: 'aborted', error: 'stop', durationMs: 1, epochMs: [] });
    expect(store.getTrial(sweep.trials[1].key)?.status).toBe('queued');
  });

  it('keeps every checkpoint with retention "all"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-store-'));
    dirs.push(dir);
    const store = openSweepStore(join(dir, 's.sqlite'), { checkpointRetention: 'all' });
    stores.push(store);
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    store.addTrials(sweep.name, sweep.trials);
    store.saveCheckpoint(sweep.trials[0].key, { epoch: 1, path: '/tmp/a' });
    store.saveCheckpoint(sweep.trials[0].key, { epoch: 2, path: '/tmp/b' });
    expect(databaseOf(store).prepare('SELECT epoch, path FROM checkpoints ORDER BY epoch').all()).toEqual([
      { epoch: 1, path: '/tmp/a' },
      { epoch: 2, path: '/tmp/b' },
    ]);
  });
});

describe('spectrum blobs', () => {
  it('round-trip float64 bit for bit and reject torn blobs', () => {
    const values = [Math.PI, 1e-300, 0, Number.MIN_VALUE, 2 ** 53 + 2];
    expect([...decodeSpectrum(encodeSpectrum(values))]).toEqual(values);
    expect(() => decodeSpectrum(new Uint8Array(12))).toThrow(RangeError);
  });
});

describe('exportTable', () => {
  it('writes tidy CSV and JSONL with the grid values on every row', async () => {
    const { dir, store } = fresh();
    const sweep = smallSweep();
    store.upsertSweep(sweep.name, sweep.config);
    store.addTrials(sweep.name, sweep.trials.slice(0, 2));
    const [a, b] = sweep.trials;
    store.recordEpoch(a.key, { epoch: 1, trainLoss: 0.5, note: 'has, comma "quoted"' });
    store.recordEpoch(b.key, { epoch: 1, trainLoss: 0.25, extra: 7 });
    store.recordLayers(a.key, 1, [{ index: 0, layer: 'dense0', rank: 2, singularValues: [2, 0.5] }]);

    expect(await exportTable(store, 'epochs', 'csv', join(dir, 'out', 'epochs.csv'))).toBe(2);
    const lines = readFileSync(join(dir, 'out', 'epochs.csv'), 'utf8').trim().split('\n');
    const sorted = [a, b].sort((x, y) => (x.key < y.key ? -1 : 1));
    expect(lines[0]).toBe('trial,weightDecay,seed,epoch,trainLoss,note,extra'.replace('note,extra', sorted[0] === a ? 'note,extra' : 'extra,note'));
    expect(lines).toContain(`${a.key},0,1,1,0.5,"has, comma ""quoted""",`.replace(/,$/, sorted[0] === a ? ',' : ''));

    expect(await exportTable(store, 'layers', 'jsonl', join(dir, 'layers.jsonl'))).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'layers.jsonl'), 'utf8'))).toEqual({ trial: a.key, weightDecay: 0, seed: 1, epoch: 1, index: 0, layer: 'dense0', rank: 2 });

    expect(await exportTable(store, 'spectra', 'csv', join(dir, 'spectra.csv'))).toBe(2);
    expect(readFileSync(join(dir, 'spectra.csv'), 'utf8')).toBe(
      `trial,weightDecay,seed,epoch,layerIndex,rank,singularValue\n${a.key},0,1,1,0,1,2\n${a.key},0,1,1,0,2,0.5\n`,
    );
    expect(await exportTable(store, 'spectra', 'jsonl', join(dir, 'spectra.jsonl'))).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'spectra.jsonl'), 'utf8')).singularValues).toEqual([2, 0.5]);

    expect(await exportTable(store, 'trials', 'jsonl', join(dir, 'trials.jsonl'))).toBe(2);
    const trials = readFileSync(join(dir, 'trials.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(trials[0]).toMatchObject({ trial: a.key, weightDecay: 0, seed: 1, status: 'queued', attempts: 0, config: a.config });
    await expect(exportTable(store, 'nope' as 'trials', 'csv', join(dir, 'x.csv'))).rejects.toThrow(/unknown table "nope"/);
  });
});
