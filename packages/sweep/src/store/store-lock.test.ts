import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { smallSweep } from '../__fixtures__/small-sweep.js';
import { createInProcessExecutor } from '../executors/in-process-executor.js';
import { runSweep } from '../run-sweep.js';
import { SweepStoreError } from './sweep-store-error.js';
import { openSweepStore } from './sweep-store.js';

const HOLDER = fileURLToPath(new URL('../__fixtures__/hold-store.ts', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  children.splice(0).forEach((child) => child.kill('SIGKILL'));
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'store-lock-'));
  dirs.push(dir);
  return dir;
};

/** Starts a process that holds the store open; resolves with its first stdout line. */
function holdStore(path: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', HOLDER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ child, line: out.trim() });
    });
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}: ${err}`)));
  });
}

const caught = (run: () => unknown): SweepStoreError => {
  try {
    run();
  } catch (error) {
    if (error instanceof SweepStoreError) return error;
    throw error;
  }
  throw new Error('expected a SweepStoreError');
};

describe('one writer per store', () => {
  it('refuses a second writer at once, naming the pid and start time of the first; takes a dead one\'s lock over', async () => {
    const path = join(freshDir(), 'sweep.sqlite');
    const { child, line } = await holdStore(path);
    expect(line).toBe(`open ${child.pid}`);

    const started = performance.now();
    const error = caught(() => openSweepStore(path));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('locked');
    expect(error.details.owner?.pid).toBe(child.pid);
    expect(error.message).toContain(`${path} is in use by another sweep: pid ${child.pid}, started ${error.details.owner?.startedAt}`);
    expect(error.message).toMatch(/Wait for it to finish or stop it/);
    // Readers are not writers: reports and exports open the store while a sweep runs.
    openSweepStore(path, { readonly: true }).close();

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const next = await holdStore(path);
    expect(next.line).toBe(`open ${next.child.pid} took-over ${child.pid}`);
  });

  it('treats a live pid that started at another time as a reused pid (stale), and a lock of another host as held', () => {
    const path = join(freshDir(), 'sweep.sqlite');
    const stale = { pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', command: 'old', processStart: '1' };
    writeFileSync(`${path}.lock`, JSON.stringify(stale));
    const store = openSweepStore(path);
    expect(store.lock?.tookOverFrom).toEqual(stale);
    store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);

    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 4242, host: 'elsewhere', startedAt: '2026-01-01T00:00:00.000Z', command: 'rank-collapse sweep' }));
    const error = caught(() => openSweepStore(path));
    expect(error.message).toContain('pid 4242 on host elsewhere, started 2026-01-01T00:00:00.000Z (rank-collapse sweep)');
    expect(error.message).toContain(`delete ${path}.lock`);
  });

  it('release removes only its own lock', () => {
    const path = join(freshDir(), 'sweep.sqlite');
    const store = openSweepStore(path);
    const other = JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', command: 'y' });
    writeFileSync(`${path}.lock`, other);
    store.close();
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(other);
  });
});

describe('a store belongs to one sweep', () => {
  it('refuses a sweep of another name unless append', async () => {
    const path = join(freshDir(), 'sweep.sqlite');
    const first = smallSweep({ epochs: 1 });
    const executor = createInProcessExecutor({ trialFunction: async () => {} });
    const store = openSweepStore(path);
    try {
      await runSweep({ sweep: first, trials: first.trials, store, executor });
      const second = { ...first, name: 'other' };
      await expect(runSweep({ sweep: second, trials: first.trials.slice(0, 1), store, executor })).rejects.toThrow(
        `${path} holds the sweep "small", not "other": write this sweep to another store, or allow a store with several sweeps (append)`,
      );
      await runSweep({ sweep: second, trials: [], store, executor, append: true });
      expect(store.sweepNames()).toEqual(['small', 'other']);
    } finally {
      store.close();
    }
  });
});

describe('files that are not stores', () => {
  it('names a corrupt file and an SQLite database of another program', () => {
    const dir = freshDir();
    const corrupt = join(dir, 'corrupt.sqlite');
    writeFileSync(corrupt, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    for (const readonly of [false, true]) {
      const error = caught(() => openSweepStore(corrupt, { readonly }));
      expect(error.code).toBe('not-a-store');
      expect(error.message).toMatch(new RegExp(`^${corrupt} is not a rank-collapse store: (database disk image is malformed|file is not a database)`));
    }
    const foreign = join(dir, 'foreign.sqlite');
    const db = new Database(foreign);
    db.exec('CREATE TABLE users (id INTEGER)');
    db.close();
    expect(caught(() => openSweepStore(foreign)).message).toBe(
      `${foreign} is not a rank-collapse store: it is an SQLite database of another program (tables: users); give the path of a sweep.sqlite written by a sweep`,
    );
    expect(existsSync(`${foreign}.lock`)).toBe(false);
  });
});
