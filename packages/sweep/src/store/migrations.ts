/**
 * The store's schema, as an ordered list of migrations. A store records its version in `meta`; opening it
 * applies the missing migrations in one transaction each, so a store is always at a known version.
 * Never edit a released migration: add a new one.
 */
import type { Database } from 'better-sqlite3';
import { hasLegacyCompression, splitLegacyCompression } from './legacy-compression.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sweeps, trials, epochs, layers, spectra, checkpoints',
    up(db) {
      db.exec(`
        CREATE TABLE sweeps (
          name TEXT PRIMARY KEY,
          config TEXT NOT NULL,
          file TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE trials (
          key TEXT PRIMARY KEY,
          sweep TEXT NOT NULL REFERENCES sweeps(name),
          grid_index INTEGER NOT NULL,
          config TEXT NOT NULL,
          axes TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'diverged')),
          attempts INTEGER NOT NULL DEFAULT 0,
          error TEXT,
          worker TEXT,
          queued_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT,
          duration_ms REAL,
          timings TEXT
        );
        CREATE INDEX trials_by_sweep_status ON trials (sweep, status);
        CREATE TABLE epochs (
          trial TEXT NOT NULL REFERENCES trials(key),
          epoch INTEGER NOT NULL,
          train_loss REAL,
          train_accuracy REAL,
          test_loss REAL,
          test_accuracy REAL,
          metrics TEXT NOT NULL,
          PRIMARY KEY (trial, epoch)
        ) WITHOUT ROWID;
        CREATE TABLE layers (
          trial TEXT NOT NULL REFERENCES trials(key),
          epoch INTEGER NOT NULL,
          layer_index INTEGER NOT NULL,
          layer_name TEXT NOT NULL,
          row TEXT NOT NULL,
          PRIMARY KEY (trial, epoch, layer_index)
        ) WITHOUT ROWID;
        CREATE TABLE spectra (
          trial TEXT NOT NULL REFERENCES trials(key),
          epoch INTEGER NOT NULL,
          layer_index INTEGER NOT NULL,
          count INTEGER NOT NULL,
          singular_values BLOB NOT NULL,
          PRIMARY KEY (trial, epoch, layer_index)
        );
        CREATE TABLE checkpoints (
          trial TEXT NOT NULL REFERENCES trials(key),
          epoch INTEGER NOT NULL,
          path TEXT,
          data BLOB,
          bytes INTEGER,
          created_at TEXT NOT NULL,
          PRIMARY KEY (trial, epoch)
        );
      `);
    },
  },
  {
    version: 2,
    description: 'compression results in a table of their own, moved out of the final layer rows',
    up(db) {
      db.exec(`
        CREATE TABLE compression (
          trial TEXT NOT NULL REFERENCES trials(key),
          epoch INTEGER NOT NULL,
          label TEXT NOT NULL,
          result TEXT NOT NULL,
          PRIMARY KEY (trial, epoch, label)
        ) WITHOUT ROWID;
      `);
      const rows = db.prepare('SELECT trial, epoch, layer_index, layer_name, row FROM layers ORDER BY trial, epoch, layer_index').all() as Array<{
        trial: string;
        epoch: number;
        layer_index: number;
        layer_name: string;
        row: string;
      }>;
      const byTrial = new Map<string, typeof rows>();
      for (const row of rows) if (hasLegacyCompression(row.row)) byTrial.set(row.trial, [...(byTrial.get(row.trial) ?? []), row]);
      const update = db.prepare('UPDATE layers SET row = ? WHERE trial = ? AND epoch = ? AND layer_index = ?');
      const insert = db.prepare('INSERT INTO compression (trial, epoch, label, result) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
      for (const [trial, legacy] of byTrial) {
        const parsed = legacy.map((row) => ({ ...JSON.parse(row.row), epoch: row.epoch, index: row.layer_index, layer: row.layer_name }));
        const { rows: cleaned, compression } = splitLegacyCompression(parsed);
        cleaned.forEach(({ epoch, ...row }, i) => update.run(JSON.stringify(row), trial, epoch, legacy[i].layer_index));
        for (const result of compression) insert.run(trial, result.epoch, result.label, JSON.stringify(result));
      }
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings a database to {@link SCHEMA_VERSION}.
 * @throws Error when the file was written by a newer schema than this code knows (refusing protects its data).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const current = row ? Number(row.value) : 0;
  const latest = migrations[migrations.length - 1].version;
  if (current > latest) {
    throw new Error(`store schema version ${current} is newer than this version of @rank-collapse/sweep understands (${latest}); upgrade the package`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
        String(migration.version),
      );
    })();
  }
  return latest;
}
