/**
 * One writer per store: a lock file beside it (`<store>.lock`) naming the owner (pid, host, start time,
 * command). SQLite alone would let two sweeps interleave their trials in one file; the lock makes the second
 * one stop at once with a message saying who holds the store. A lock whose process is gone (same host; a
 * dead pid, a pid reused by another process, or a reboot) is taken over.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { SweepStoreError } from './sweep-store-error.js';

/** Who holds a store's lock. */
export interface StoreLockOwner {
  pid: number;
  host: string;
  /** ISO time the owner took the lock. */
  startedAt: string;
  /** The owner's command line. */
  command: string;
  /** Linux: the boot the owner ran in and its start time in clock ticks, to tell a reused pid from the owner. */
  bootId?: string;
  processStart?: string;
}

/** A held lock. */
export interface StoreLock {
  readonly path: string;
  readonly owner: StoreLockOwner;
  /** The owner of a lock left behind by a process that is gone, which this one replaced. */
  readonly tookOverFrom?: StoreLockOwner;
  /** Removes the lock file (if it is still this lock). Idempotent. */
  release(): void;
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks after boot (Linux only). */
function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = (): string | undefined => readText('/proc/sys/kernel/random/boot_id');

/** Whether the process that wrote `owner` still runs. Owners on other hosts cannot be checked: assumed alive. */
export function lockOwnerAlive(owner: StoreLockOwner): boolean {
  if (owner.host !== hostname()) return true;
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(owner.pid);
  return !(owner.processStart && start && start !== owner.processStart);
}

function parseOwner(text: string): StoreLockOwner | undefined {
  try {
    const owner = JSON.parse(text) as StoreLockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `path` holding `text` only if it does not exist; the content is complete the moment it appears. */
function createExclusive(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** The message for a store another live process writes. */
export function describeLockOwner(owner: StoreLockOwner): string {
  const where = owner.host === hostname() ? `pid ${owner.pid}` : `pid ${owner.pid} on host ${owner.host}`;
  return `${where}, started ${owner.startedAt}${owner.command ? ` (${owner.command})` : ''}`;
}

/**
 * Takes the write lock of the store at `storePath`, replacing a lock left by a process that is gone.
 * The lock file is removed by {@link StoreLock.release} and, failing that, when this process exits.
 * @throws SweepStoreError (code `locked`, with `owner`) when a live process (or one on another host) holds it.
 */
export function acquireStoreLock(storePath: string, options: { command?: string } = {}): StoreLock {
  const path = `${storePath}.lock`;
  const owner: StoreLockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command ?? [process.argv0, ...process.argv.slice(1)].join(' '),
    ...(bootId() !== undefined && { bootId: bootId() }),
    ...(processStart(process.pid) !== undefined && { processStart: processStart(process.pid) }),
  };
  const text = `${JSON.stringify(owner)}\n`;
  let tookOverFrom: StoreLockOwner | undefined;
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(path, text)) break;
    const seen = readText(path);
    const current = seen === undefined ? undefined : parseOwner(seen);
    if (current && lockOwnerAlive(current)) {
      throw new SweepStoreError(
        'locked',
        storePath,
        `${storePath} is in use by another sweep: ${describeLockOwner(current)}. Wait for it to finish or stop it (it resumes when rerun), or write to another store. If that process is gone (on another machine, say), delete ${path}.`,
        { owner: current },
      );
    }
    if (attempt >= 5) throw new SweepStoreError('locked', storePath, `cannot take the lock ${path} (it keeps changing); is another sweep starting on this store?`);
    // Gone (or not a lock we can read): take it over, unless another process replaced it since it was read.
    if (seen !== undefined && readText(path) === seen) {
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    tookOverFrom = current;
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: a process that took over a lock it thought stale must keep its own.
    if (readText(path) === text.trim()) unlinkSync(path);
  };
  process.on('exit', release);
  return { path, owner, ...(tookOverFrom && { tookOverFrom }), release };
}
