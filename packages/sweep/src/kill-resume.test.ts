/**
 * Resumption under kill -9: a real sweep process is killed at several moments, then the same command is run
 * to the end. Finished trials must not run again, the interrupted one must restart from its last checkpoint,
 * and every row must be present exactly once with the values of an uninterrupted run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { databaseOf } from './__fixtures__/database-of.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openSweepStore } from './store/sweep-store.js';
import { smallSweep } from './__fixtures__/small-sweep.js';
import { syntheticInit, syntheticStep } from './__fixtures__/synthetic-trial.js';
import type { TrialSpec } from './config/expand-grid.js';

const SCRIPT = fileURLToPath(new URL('./__fixtures__/sweep-script.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function start(storePath: string, journal: string, kind: string): ChildProcess & { exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SCRIPT, storePath, journal, kind], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return Object.assign(child, { exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) });
}

/** Reads the store with a separate connection, as another process would. */
function snapshot(storePath: string): Array<{ key: string; status: string; checkpoint: number | null }> {
  if (!existsSync(storePath)) return [];
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const hasTrials = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'trials'").get();
    if (!hasTrials) return [];
    return db
      .prepare('SELECT key, status, (SELECT MAX(epoch) FROM checkpoints c WHERE c.trial = t.key) AS checkpoint FROM trials t')
      .all() as Array<{ key: string; status: string; checkpoint: number | null }>;
  } finally {
    db.close();
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(20);
  }
  throw new Error('timed out waiting for the sweep process');
}

function expectedLosses(trial: TrialSpec): number[] {
  const w = syntheticInit(trial.config.seed);
  return Array.from({ length: trial.config.training.epochs }, (_, i) => {
    syntheticStep(w, trial.config.seed, i + 1, trial.config.training.lr, trial.config.training.weightDecay);
    return w.reduce((sum, v) => sum + v * v, 0);
  });
}

describe.each(['in-process', 'workers'])('kill -9 and rerun (%s)', (kind) => {
  it('skips finished trials, resumes the interrupted one from its checkpoint, and loses or duplicates no row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kill-resume-'));
    dirs.push(dir);
    const storePath = join(dir, 'sweep.sqlite');
    const journal = join(dir, 'journal.txt');
    const sweep = smallSweep({ epochs: 6 });

    // Kill 1: once at least one trial is done and another is running past a checkpoint.
    const first = start(storePath, journal, kind);
    const interrupted = await waitFor(() => {
      const rows = snapshot(storePath);
      const running = rows.find((row) => row.status === 'running' && (row.checkpoint ?? 0) >= 2);
      return rows.some((row) => row.status === 'done') && running ? running : undefined;
    }, 60_000);
    first.kill('SIGKILL');
    await first.exited;
    const afterKill = snapshot(storePath);
    const doneBefore = new Set(afterKill.filter((row) => row.status === 'done').map((row) => row.key));
    const checkpointAtKill = afterKill.find((row) => row.key === interrupted.key)?.checkpoint;
    const journalLinesBefore = readFileSync(journal, 'utf8').trim().split('\n').length;

    // Kills 2 and 3: at fixed moments regardless of what the process is doing.
    for (const delayMs of [900, 1400]) {
      const child = start(storePath, journal, kind);
      await sleep(delayMs);
      child.kill('SIGKILL');
      await child.exited;
    }

    const last = start(storePath, journal, kind);
    let output = '';
    last.stdout!.on('data', (chunk) => (output += chunk));
    expect(await last.exited).toBe(0);
    expect(JSON.parse(output).counts).toEqual({ queued: 0, running: 0, done: 6, failed: 0, diverged: 0 });

    const starts = readFileSync(journal, 'utf8').trim().split('\n').map((line) => line.split(' '));
    // Trials done before kill 1 never started again.
    for (const [key] of starts.slice(journalLinesBefore)) expect(doneBefore.has(key)).toBe(false);
    // The trial running at kill 1 restarted from the checkpoint it had then (if it restarted before kill 2 it
    // did so from exactly that epoch).
    const restart = starts.slice(journalLinesBefore).find(([key]) => key === interrupted.key);
    expect(restart?.[2]).toBe(String(checkpointAtKill));

    const store = openSweepStore(storePath);
    try {
      for (const trial of sweep.trials) {
        expect(store.epochs(trial.key).map((row) => row.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
        const losses = store.epochs(trial.key).map((row) => row.trainLoss as number);
        expectedLosses(trial).forEach((loss, i) => expect(Math.abs(losses[i] - loss)).toBeLessThanOrEqual(1e-15 * loss));
        expect(store.layers(trial.key).map((row) => `${row.epoch}:${row.index}`)).toEqual(['3:0', '3:1', '6:0', '6:1']);
        expect(store.spectrum(trial.key, 6, 1)).toHaveLength(2);
      }
      expect(databaseOf(store).prepare('SELECT COUNT(*) AS n FROM epochs').get()).toEqual({ n: 36 });
      expect(databaseOf(store).prepare('SELECT COUNT(*) AS n FROM layers').get()).toEqual({ n: 24 });
      expect(databaseOf(store).pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});
