/**
 * The embedded store of one sweep: a SQLite file in WAL mode. Every write is an upsert keyed by
 * trial/epoch/layer inside a transaction, so a process killed at any moment leaves a consistent file and a
 * rerun never duplicates a row.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CompressionResult, StoredEpochRecord, StoredLayerRecord, TrialRecord, TrialStatus } from '@rank-collapse/rows';
import type { ResolvedTrialConfig, TrialSpec } from '../config/expand-grid.js';
import type { RecordedLayer, TrialCheckpoint, TrialRunResult } from '../trial/trial-types.js';
import { hasLegacyCompression, splitLegacyCompression } from './legacy-compression.js';
import { migrate } from './migrations.js';
import { acquireStoreLock, type StoreLock } from './store-lock.js';
import { SweepStoreError } from './sweep-store-error.js';
import { fileSystemErrorText } from './file-system-error.js';
import { decodeSpectrum, encodeSpectrum } from './spectrum-blob.js';

/** A trial as stored: the contract's {@link TrialRecord} with the config a sweep file resolves to. */
export type StoredTrial = TrialRecord<ResolvedTrialConfig>;

/** A sweep as stored: its name and the file it was read from. */
export interface StoredSweep {
  name: string;
  file: string | null;
}

/** What an attempt that ran elsewhere (a queue worker) produced, applied in one transaction. */
export interface TrialResultBundle {
  result: TrialRunResult;
  attempts: number;
  worker: string;
  startedAt: string;
  finishedAt: string;
  epochs: StoredEpochRecord[];
  layers: Array<{ epoch: number; rows: RecordedLayer[] }>;
  spectra: Array<{ epoch: number; layerIndex: number; values: ArrayLike<number> }>;
  compression?: CompressionResult[];
  checkpoint?: TrialCheckpoint;
}

/** Options of {@link openSweepStore}. */
export interface SweepStoreOptions {
  /** Keep every checkpoint (`all`) or only each trial's latest (`latest`, default: smaller files). */
  checkpointRetention?: 'all' | 'latest';
  /** Open without writing (exports, reports). Default false. */
  readonly?: boolean;
  /**
   * Take the store's write lock (`<path>.lock`, see `acquireStoreLock`) so that no second process writes it.
   * Default true for a writable file; ignored when `readonly` or for `:memory:`. `command` is recorded in it.
   */
  lock?: boolean | { command?: string };
}

/**
 * Opens (creating if needed) the store file, takes its write lock and migrates it to the current schema.
 * @throws SweepStoreError: `locked` (another live process writes it: the message names its pid, host and
 *   start time), `not-a-store` (a corrupt file or another program's database), `io` (read-only folder,
 *   permissions, full disk: in words, with the path). Error when its schema is newer than this code.
 */
export function openSweepStore(path: string, options: SweepStoreOptions = {}): SweepStore {
  const readonly = options.readonly ?? false;
  let lock: StoreLock | undefined;
  let db: Database.Database | undefined;
  try {
    if (!readonly && path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      if (options.lock !== false) lock = acquireStoreLock(path, typeof options.lock === 'object' ? options.lock : {});
    }
    db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma('busy_timeout = 10000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode loses nothing when the process dies; only an OS crash may drop the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    }
    checkIsStore(db, path);
    if (!readonly) migrate(db);
  } catch (error) {
    if (db?.open) db.close();
    lock?.release();
    throw storeError(error, path);
  }
  return new SweepStore(db, options.checkpointRetention ?? 'latest', lock);
}

/** A database with tables but without the store's `meta` table was written by another program. */
function checkIsStore(db: Database.Database, path: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
  if (tables.length > 0 && !tables.includes('meta')) {
    throw new SweepStoreError('not-a-store', path, `${path} is not a rank-collapse store: it is an SQLite database of another program (tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}); give the path of a sweep.sqlite written by a sweep`);
  }
}

/** Turns SQLite and file-system errors into a SweepStoreError naming the file. */
function storeError(error: unknown, path: string): unknown {
  if (error instanceof SweepStoreError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new SweepStoreError('not-a-store', path, `${path} is not a rank-collapse store: ${message}; give the path of a sweep.sqlite written by a sweep (a damaged one cannot be repaired here)`, { cause: error });
  }
  const words = fileSystemErrorText(error);
  if (words) return new SweepStoreError('io', path, `cannot use the store ${path}: ${words}`, { cause: error });
  return error;
}

const now = (): string => new Date().toISOString();

/**
 * See {@link openSweepStore}. Methods are synchronous: better-sqlite3 runs each statement to completion. Rows
 * come back as the row contract (`@rank-collapse/rows`) types; every query lives in this class.
 */
export class SweepStore {
  /** Schema version of the file; below the current one only for a store of an older version opened read-only. */
  readonly schemaVersion: number;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointRetention: 'all' | 'latest',
    /** The write lock this store holds (see {@link openSweepStore}); `tookOverFrom` names a dead owner it replaced. */
    readonly lock?: StoreLock,
  ) {
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    this.schemaVersion = version ? Number(version.value) : 0;
  }

  /** The file this store reads and writes (`:memory:` for an in-memory store). */
  get path(): string {
    return this.db.name;
  }

  /** Whether the file predates the compression table (version 1, opened read-only): compression is then read from the layer rows. */
  private get legacyCompression(): boolean {
    return this.schemaVersion < 2;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock?.release();
  }

  /** Names of the sweeps recorded in this store. */
  sweepNames(): string[] {
    return (this.db.prepare('SELECT name FROM sweeps ORDER BY created_at, name').all() as Array<{ name: string }>).map((row) => row.name);
  }

  /** The sweeps recorded in this store with their files, by name. */
  sweeps(): StoredSweep[] {
    return this.db.prepare('SELECT name, file FROM sweeps ORDER BY name').all() as StoredSweep[];
  }

  /** Records (or updates) the sweep's config. */
  upsertSweep(name: string, config: unknown, file?: string): void {
    const at = now();
    this.db
      .prepare(
        `INSERT INTO sweeps (name, config, file, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET config = excluded.config, file = excluded.file, updated_at = excluded.updated_at`,
      )
      .run(name, JSON.stringify(config), file ?? null, at, at);
  }

  /** Adds trials as queued; trials already present (any status) are left untouched. Returns how many were new. */
  addTrials(sweep: string, trials: readonly TrialSpec[]): number {
    const insert = this.db.prepare(
      `INSERT INTO trials (key, sweep, grid_index, config, axes, status, queued_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    return this.db.transaction(() => {
      let added = 0;
      const at = now();
      for (const trial of trials) added += insert.run(trial.key, sweep, trial.index, JSON.stringify(trial.config), JSON.stringify(trial.axes), at).changes;
      return added;
    })();
  }

  getTrial(key: string): StoredTrial | undefined {
    const row = this.db.prepare('SELECT * FROM trials WHERE key = ?').get(key) as TrialRow | undefined;
    return row && fromTrialRow(row);
  }

  /** Trials in grid order, optionally of one sweep and/or some statuses. */
  trials(filter: { sweep?: string; status?: TrialStatus | readonly TrialStatus[] } = {}): StoredTrial[] {
    return this.listTrials(filter);
  }

  /** The same as {@link trials}. */
  listTrials(filter: { sweep?: string; status?: TrialStatus | readonly TrialStatus[] } = {}): StoredTrial[] {
    const statuses = filter.status === undefined ? undefined : ([] as TrialStatus[]).concat(filter.status);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.sweep !== undefined) {
      where.push('sweep = ?');
      params.push(filter.sweep);
    }
    if (statuses) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    const sql = `SELECT * FROM trials ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY grid_index, key`;
    return (this.db.prepare(sql).all(...params) as TrialRow[]).map(fromTrialRow);
  }

  /** Number of trials per status. */
  statusCounts(sweep?: string): Record<TrialStatus, number> {
    const counts: Record<TrialStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, diverged: 0 };
    const rows = (
      sweep === undefined
        ? this.db.prepare('SELECT status, COUNT(*) AS n FROM trials GROUP BY status').all()
        : this.db.prepare('SELECT status, COUNT(*) AS n FROM trials WHERE sweep = ? GROUP BY status').all(sweep)
    ) as Array<{ status: TrialStatus; n: number }>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** Puts trials left `running` by a dead process back to `queued`. Returns their keys. */
  requeueRunning(sweep?: string): string[] {
    const rows = this.listTrials({ sweep, status: 'running' });
    const update = this.db.prepare("UPDATE trials SET status = 'queued', worker = NULL WHERE key = ? AND status = 'running'");
    this.db.transaction(() => rows.forEach((row) => update.run(row.key)))();
    return rows.map((row) => row.key);
  }

  /** Puts the trials with these keys back to `queued` (clearing error and worker), whatever their status, so they run again. */
  requeue(keys: readonly string[]): void {
    const update = this.db.prepare("UPDATE trials SET status = 'queued', error = NULL, worker = NULL WHERE key = ?");
    this.db.transaction(() => keys.forEach((key) => update.run(key)))();
  }

  /**
   * Marks a trial running (attempts + 1) and returns the checkpoint to resume from. Rows after that checkpoint
   * (or all rows, without one) come from the interrupted attempt and are discarded, since the new attempt
   * writes them again.
   */
  startAttempt(key: string, worker: string): { attempt: number; resumeFrom?: TrialCheckpoint } {
    return this.db.transaction(() => {
      const checkpoint = this.latestCheckpoint(key);
      this.discardAfter(key, checkpoint?.epoch ?? -1);
      this.db
        .prepare("UPDATE trials SET status = 'running', attempts = attempts + 1, worker = ?, started_at = ?, error = NULL WHERE key = ?")
        .run(worker, now(), key);
      const { attempts } = this.db.prepare('SELECT attempts FROM trials WHERE key = ?').get(key) as { attempts: number };
      return { attempt: attempts, resumeFrom: checkpoint };
    })();
  }

  /** Records how an attempt ended. `aborted` puts the trial back to `queued`. */
  finishAttempt(key: string, result: TrialRunResult): void {
    const status: TrialStatus = result.status === 'aborted' ? 'queued' : result.status;
    const finished = result.status === 'aborted' ? null : now();
    this.db
      .prepare('UPDATE trials SET status = ?, error = ?, finished_at = ?, duration_ms = ?, timings = ? WHERE key = ?')
      .run(status, result.error ?? null, finished, result.durationMs, JSON.stringify({ epochMs: result.epochMs }), key);
  }

  /** Upserts one epoch row; NaN and ±∞ are kept as null. */
  recordEpoch(key: string, row: StoredEpochRecord): void {
    const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
    this.db
      .prepare(
        `INSERT INTO epochs (trial, epoch, train_loss, train_accuracy, test_loss, test_accuracy, metrics) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (trial, epoch) DO UPDATE SET train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
           test_loss = excluded.test_loss, test_accuracy = excluded.test_accuracy, metrics = excluded.metrics`,
      )
      .run(key, row.epoch, number(row.trainLoss), number(row.trainAccuracy), number(row.testLoss), number(row.testAccuracy), jsonRow(row));
  }

  /** Upserts the layer rows of one checkpoint; `singularValues` go to the spectra table. */
  recordLayers(key: string, epoch: number, rows: readonly RecordedLayer[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO layers (trial, epoch, layer_index, layer_name, row) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (trial, epoch, layer_index) DO UPDATE SET layer_name = excluded.layer_name, row = excluded.row`,
    );
    this.db.transaction(() => {
      for (const { singularValues, ...row } of rows) {
        upsert.run(key, epoch, row.index, row.layer, jsonRow(row));
        if (singularValues !== undefined) this.recordSpectrum(key, epoch, row.index, singularValues);
      }
    })();
  }

  /** Upserts the singular values of one layer at one epoch, stored as float64 little-endian. */
  recordSpectrum(key: string, epoch: number, layerIndex: number, values: ArrayLike<number>): void {
    this.db
      .prepare(
        `INSERT INTO spectra (trial, epoch, layer_index, count, singular_values) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (trial, epoch, layer_index) DO UPDATE SET count = excluded.count, singular_values = excluded.singular_values`,
      )
      .run(key, epoch, layerIndex, values.length, encodeSpectrum(values));
  }

  /** Upserts one compression result of a trial, keyed by its epoch and label. */
  recordCompression(key: string, result: CompressionResult): void {
    this.db
      .prepare(
        `INSERT INTO compression (trial, epoch, label, result) VALUES (?, ?, ?, ?)
         ON CONFLICT (trial, epoch, label) DO UPDATE SET result = excluded.result`,
      )
      .run(key, result.epoch, result.label, jsonRow(result));
  }

  /** Saves a checkpoint (bytes or a path); with `latest` retention, older checkpoints of the trial are removed. */
  saveCheckpoint(key: string, checkpoint: TrialCheckpoint): void {
    this.db.transaction(() => {
      if (this.checkpointRetention === 'latest') this.db.prepare('DELETE FROM checkpoints WHERE trial = ? AND epoch <> ?').run(key, checkpoint.epoch);
      this.db
        .prepare(
          `INSERT INTO checkpoints (trial, epoch, path, data, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (trial, epoch) DO UPDATE SET path = excluded.path, data = excluded.data, bytes = excluded.bytes, created_at = excluded.created_at`,
        )
        .run(key, checkpoint.epoch, checkpoint.path ?? null, checkpoint.data ? Buffer.from(checkpoint.data.buffer, checkpoint.data.byteOffset, checkpoint.data.byteLength) : null, checkpoint.data?.byteLength ?? null, now());
    })();
  }

  /** The checkpoint with the highest epoch, if any. */
  latestCheckpoint(key: string): TrialCheckpoint | undefined {
    const row = this.db.prepare('SELECT epoch, path, data FROM checkpoints WHERE trial = ? ORDER BY epoch DESC LIMIT 1').get(key) as
      | { epoch: number; path: string | null; data: Buffer | null }
      | undefined;
    if (!row) return undefined;
    return { epoch: row.epoch, ...(row.path !== null && { path: row.path }), ...(row.data !== null && { data: new Uint8Array(row.data) }) };
  }

  /** Deletes rows and checkpoints of a trial with epoch > `epoch`. */
  discardAfter(key: string, epoch: number): void {
    this.db.transaction(() => {
      for (const table of ['epochs', 'layers', 'spectra', 'checkpoints', ...(this.legacyCompression ? [] : ['compression'])]) this.db.prepare(`DELETE FROM ${table} WHERE trial = ? AND epoch > ?`).run(key, epoch);
    })();
  }

  /**
   * Applies attempts computed elsewhere, in one transaction (the queue executor's path): the rows replace the
   * trial's rows, and `bundle.attempts` is added to the attempts already counted here.
   */
  applyResult(key: string, bundle: TrialResultBundle): void {
    this.db.transaction(() => {
      this.discardAfter(key, -1);
      for (const row of bundle.epochs) this.recordEpoch(key, row);
      for (const { epoch, rows } of bundle.layers) this.recordLayers(key, epoch, rows);
      for (const { epoch, layerIndex, values } of bundle.spectra) this.recordSpectrum(key, epoch, layerIndex, values);
      for (const result of bundle.compression ?? []) this.recordCompression(key, result);
      if (bundle.checkpoint) this.saveCheckpoint(key, bundle.checkpoint);
      const status: TrialStatus = bundle.result.status === 'aborted' ? 'queued' : bundle.result.status;
      this.db
        .prepare(
          'UPDATE trials SET status = ?, error = ?, attempts = attempts + ?, worker = ?, started_at = ?, finished_at = ?, duration_ms = ?, timings = ? WHERE key = ?',
        )
        .run(status, bundle.result.error ?? null, bundle.attempts, bundle.worker, bundle.startedAt, bundle.finishedAt, bundle.result.durationMs, JSON.stringify({ epochMs: bundle.result.epochMs }), key);
    })();
  }

  /** Epoch rows of a trial, ascending. */
  epochs(key: string): StoredEpochRecord[] {
    return (this.db.prepare('SELECT metrics FROM epochs WHERE trial = ? ORDER BY epoch').all(key) as Array<{ metrics: string }>).map((row) => JSON.parse(row.metrics));
  }

  /**
   * Layer rows of a trial, by epoch then layer index (without singular values: see {@link spectrum}). Rows
   * are as the trial recorded them: one written by an older analysis may miss fields added since.
   */
  layers(key: string): StoredLayerRecord[] {
    const rows = (this.db.prepare('SELECT epoch, row FROM layers WHERE trial = ? ORDER BY epoch, layer_index').all(key) as Array<{ epoch: number; row: string }>).map(
      (row): StoredLayerRecord => ({ epoch: row.epoch, ...JSON.parse(row.row) }),
    );
    return this.legacyCompression ? splitLegacyCompression(rows).rows : rows;
  }

  /** Compression results of a trial, by epoch then label. */
  compression(key: string): CompressionResult[] {
    if (this.legacyCompression) return splitLegacyCompression(this.legacyLayerRows(key)).compression;
    return (this.db.prepare('SELECT result FROM compression WHERE trial = ? ORDER BY epoch, label').all(key) as Array<{ result: string }>).map((row) => JSON.parse(row.result));
  }

  /** Layer rows of a version-1 store with their compression fields. */
  private legacyLayerRows(key: string): StoredLayerRecord[] {
    return (this.db.prepare('SELECT epoch, row FROM layers WHERE trial = ? ORDER BY epoch, layer_index').all(key) as Array<{ epoch: number; row: string }>)
      .filter((row) => hasLegacyCompression(row.row))
      .map((row) => ({ epoch: row.epoch, ...JSON.parse(row.row) }));
  }

  /** Every epoch row of the store, by trial then epoch (exports). */
  *allEpochs(): Generator<{ trial: string; record: StoredEpochRecord }> {
    for (const row of this.db.prepare('SELECT trial, metrics FROM epochs ORDER BY trial, epoch').iterate() as Iterable<{ trial: string; metrics: string }>) {
      yield { trial: row.trial, record: JSON.parse(row.metrics) };
    }
  }

  /** Every layer row of the store, by trial, epoch and layer index (exports). */
  *allLayers(): Generator<{ trial: string; record: StoredLayerRecord }> {
    for (const row of this.db.prepare('SELECT trial, epoch, row FROM layers ORDER BY trial, epoch, layer_index').iterate() as Iterable<{ trial: string; epoch: number; row: string }>) {
      const record: StoredLayerRecord = { epoch: row.epoch, ...JSON.parse(row.row) };
      yield { trial: row.trial, record: this.legacyCompression && hasLegacyCompression(row.row) ? splitLegacyCompression([record]).rows[0] : record };
    }
  }

  /** Every spectrum of the store, by trial, epoch and layer index (exports). */
  *allSpectra(): Generator<{ trial: string; epoch: number; layerIndex: number; singularValues: Float64Array }> {
    for (const row of this.db.prepare('SELECT trial, epoch, layer_index, singular_values FROM spectra ORDER BY trial, epoch, layer_index').iterate() as Iterable<{
      trial: string;
      epoch: number;
      layer_index: number;
      singular_values: Buffer;
    }>) {
      yield { trial: row.trial, epoch: row.epoch, layerIndex: row.layer_index, singularValues: decodeSpectrum(row.singular_values) };
    }
  }

  /** Every compression result of the store, by trial, epoch and label (exports). */
  *allCompression(): Generator<{ trial: string; result: CompressionResult }> {
    if (this.legacyCompression) {
      for (const key of this.listTrials().map((trial) => trial.key).sort()) for (const result of this.compression(key)) yield { trial: key, result };
      return;
    }
    for (const row of this.db.prepare('SELECT trial, result FROM compression ORDER BY trial, epoch, label').iterate() as Iterable<{ trial: string; result: string }>) {
      yield { trial: row.trial, result: JSON.parse(row.result) };
    }
  }

  /** Singular values of one layer at one epoch (float64, as recorded), if recorded. */
  spectrum(key: string, epoch: number, layerIndex: number): Float64Array | undefined {
    const row = this.db.prepare('SELECT singular_values FROM spectra WHERE trial = ? AND epoch = ? AND layer_index = ?').get(key, epoch, layerIndex) as
      | { singular_values: Buffer }
      | undefined;
    return row && decodeSpectrum(row.singular_values);
  }
}

interface TrialRow {
  key: string;
  sweep: string;
  grid_index: number;
  config: string;
  axes: string;
  status: TrialStatus;
  attempts: number;
  error: string | null;
  worker: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  timings: string | null;
}

function fromTrialRow(row: TrialRow): StoredTrial {
  return {
    key: row.key,
    sweep: row.sweep,
    index: row.grid_index,
    config: JSON.parse(row.config),
    axes: JSON.parse(row.axes),
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    worker: row.worker,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    timings: row.timings === null ? null : JSON.parse(row.timings),
  };
}

/** JSON of a row; NaN/±∞ (a diverged loss) become null, since JSON has no such numbers. */
function jsonRow(row: object): string {
  return JSON.stringify(row, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value));
}
