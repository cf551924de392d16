/**
 * The installed command end to end: `pnpm rank-collapse …` from the repo root, as the README documents it,
 * running the dist the root `prepare` script builds (rebuilt here first). Exit codes, signals, the store lock,
 * EPIPE, and messages that only the real process shows.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from './exit-codes.js';
import { MALLOC_ENV } from './malloc-env.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = readFileSync(new URL('./__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8');
const MODEL = join(ROOT, 'packages/backend-onnx/src/import/__fixtures__/mlp-opset14.onnx');
const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
let dir: string;
let blockHook: string;

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-dist.mjs')], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'rc-executable-'));
  // Makes the packages named in RC_BLOCK unloadable, to show what the command does without them.
  blockHook = join(dir, 'block.mjs');
  writeFileSync(join(dir, 'block-hooks.mjs'), `const blocked = (process.env.RC_BLOCK ?? '').split(',');
export async function resolve(specifier, context, next) {
  if (blocked.some((name) => specifier === name || specifier.startsWith(name + '/'))) throw new Error('blocked by the test: ' + specifier);
  return next(specifier, context);
}\n`);
  writeFileSync(blockHook, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL('block-hooks.mjs', `file://${dir}/`).href)});\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `pnpm rank-collapse <args>` from the repo root. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn('pnpm', ['rank-collapse', ...args], { cwd: ROOT, env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
const run = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Run> => start(args, env).done;

const sweepFile = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Every live descendant of a pid (from /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) if (ppid === parent && !found.includes(child)) (found.push(child), visit(child));
  };
  visit(pid);
  return found;
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};
const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the rank-collapse executable (pnpm rank-collapse, pnpm exec rank-collapse)', () => {
  it('--version prints the CLI version; --help exits 0; a usage error exits 2 (both documented commands)', async () => {
    for (const prefix of [['rank-collapse'], ['exec', 'rank-collapse']]) {
      const version = spawnSync('pnpm', [...prefix, '--version'], { cwd: ROOT, encoding: 'utf8' });
      expect(version.status).toBe(0);
      expect(version.stdout).toBe(`${VERSION}\n`);
      const usage = spawnSync('pnpm', [...prefix, 'sweep', '--workers', 'two'], { cwd: ROOT, encoding: 'utf8' });
      expect(usage.status).toBe(EXIT_CODES.usage);
      expect(usage.stderr).toContain('--workers expects an integer ≥ 1, got "two"');
    }
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_CODES.ok);
    expect(help.stdout).toContain('Exit codes: 0 ok');
  });

  it('exits 0 quietly when the reader of its output goes away (EPIPE)', () => {
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `pnpm rank-collapse analyze ${JSON.stringify(MODEL)} --weights-only | true`], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(result.status).toBe(0);
  });

  it('exit 1: a file that is not a store, named with the reason; 4: no backend can start', async () => {
    const corrupt = join(dir, 'corrupt.sqlite');
    writeFileSync(corrupt, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 1)]));
    const notStore = await run(['export', corrupt, '--table', 'trials', '--out', join(dir, 't.csv')]);
    expect(notStore.code).toBe(EXIT_CODES.failure);
    expect(notStore.stderr).toMatch(new RegExp(`rank-collapse: ${corrupt} is not a rank-collapse store: (database disk image is malformed|file is not a database)`));

    const tiny = join(ROOT, 'apps/cli/src/__fixtures__/tiny-sweep.yaml');
    const noBackend = await run(['train', tiny, '--backend', 'onnx', '--epochs', '1', '--quiet'], { NODE_OPTIONS: `--import ${blockHook}`, RC_BLOCK: 'onnxruntime-node' });
    expect(noBackend.stderr).toContain('no backend can run here');
    expect(noBackend.code).toBe(EXIT_CODES.backendUnavailable);
  });

  it('--backend reference runs without vitest installed', async () => {
    const result = await run(['backends', '--json'], { NODE_OPTIONS: `--import ${blockHook}`, RC_BLOCK: 'vitest' });
    const reference = (JSON.parse(result.stdout) as Array<{ backend: string; available: boolean; reason?: string }>).find((probe) => probe.backend === 'reference');
    expect(reference).toMatchObject({ available: true });
  });

  it('exit 3 after failed trials, and the rerun says that --retry-failed exists; ENOSPC in words with the path', async () => {
    const text = FIXTURE.replace('name: tiny\n', 'name: broken\n').replace('weightDecay: [0, 1e-3]', 'weightDecay: [0]\n  subsetPerClass: [500]').replace('checkpoints: [0, 3]', 'checkpoints: [3]');
    const file = sweepFile('broken.yaml', text);
    const out = join(dir, 'broken');
    const first = await run(['sweep', file, '--out', out, '--no-report', '--workers', '1']);
    expect(first.code).toBe(EXIT_CODES.trialsFailed);
    const rerun = await run(['sweep', file, '--out', out, '--no-report', '--workers', '1']);
    expect(rerun.code).toBe(EXIT_CODES.trialsFailed);
    expect(rerun.stderr).toContain('1 trial(s) failed (errors in the table above); they are not run again unless you rerun with --retry-failed');

    const full = await run(['export', join(out, 'sweep.sqlite'), '--table', 'trials', '--out', '/dev/full']);
    expect(full.code).toBe(EXIT_CODES.failure);
    expect(full.stderr).toContain('/dev/full: no space left on the device (ENOSPC); free some space or write to another disk');
  });

  // As root the folder's mode does not stop writes: the command then runs as nobody, who must be able to read the checkout.
  const asRoot = process.getuid?.() === 0;
  const nobodyReads = !asRoot || spawnSync('node', ['-e', `require('fs').accessSync(${JSON.stringify(join(ROOT, 'apps/cli/package.json'))}, 4)`], { uid: 65534, gid: 65534 }).status === 0;
  if (!nobodyReads) console.log('skipping the EACCES test: running as root in a checkout that user nobody cannot read');
  it.runIf(typeof process.getuid === 'function' && nobodyReads)('EACCES in words with the path (a folder the user may not write)', async () => {
    const locked = join(dir, 'no-write');
    mkdirSync(locked, { mode: 0o555 });
    // root may write anywhere: run as nobody then.
    const asUser = process.getuid!() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [join(ROOT, 'apps/cli/dist/bin.js'), 'sweep', join(ROOT, 'apps/cli/src/__fixtures__/tiny-sweep.yaml'), '--out', join(locked, 'out')], { encoding: 'utf8', env: { ...process.env, HOME: dir }, ...asUser });
    expect(result.stderr).toContain(`rank-collapse: cannot use the store ${join(locked, 'out', 'sweep.sqlite')}: ${join(locked, 'out')}: permission denied (EACCES); write to a folder you may write to, or change its permissions`);
    expect(result.status).toBe(EXIT_CODES.failure);
  });

  it('one writer per store: a second sweep is refused at once naming the first; SIGTERM to the parent stops everything (130), no orphan; a dead owner\'s lock is taken over; another sweep name needs --append', async () => {
    const file = sweepFile('long.yaml', FIXTURE.replace('name: tiny\n', 'name: long\n').replace('epochs: 3', 'epochs: 400').replace('checkpoints: [0, 3]', 'checkpoints: [400]').replace('weightDecay: [0, 1e-3]', 'weightDecay: [0, 1e-3, 1e-2]'));
    const out = join(dir, 'long');
    const lock = join(out, 'sweep.sqlite.lock');
    const args = ['sweep', file, '--out', out, '--no-report', '--workers', '2', '--checkpoint-every', '1'];

    const first = start(args);
    const owner = await waitFor('the lock and two worker processes', () => {
      if (!existsSync(lock)) return undefined;
      const tree = descendants(first.child.pid!);
      return tree.filter((pid) => cmdline(pid).includes('worker-process-entry')).length >= 2 ? JSON.parse(readFileSync(lock, 'utf8')) : undefined;
    });
    const tree = descendants(first.child.pid!);
    const node = tree.find((pid) => cmdline(pid).includes('dist/bin.js'))!;
    expect(owner.pid).toBe(node);
    // The launcher hands the glibc malloc settings to node.
    const environment = readFileSync(`/proc/${node}/environ`, 'utf8').split('\0');
    for (const [key, value] of Object.entries(MALLOC_ENV)) expect(environment).toContain(`${key}=${value}`);

    const startedAt = Date.now();
    const second = await run(args);
    // At once: before any trial starts (the time is mostly pnpm and node starting, on a loaded machine too).
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(second.stderr).not.toMatch(/\bepoch\b/i);
    expect(second.code).toBe(EXIT_CODES.failure);
    expect(second.stderr).toContain(`rank-collapse: ${join(out, 'sweep.sqlite')} is in use by another sweep: pid ${node}, started ${owner.startedAt}`);
    expect(second.stderr).toContain(`kill -INT ${node}`);
    expect(second.stderr).toContain('another folder with --out');

    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(EXIT_CODES.interrupted);
    await waitFor('every process of the sweep to end', () => tree.every((pid) => !alive(pid)) || undefined, 20_000);
    expect(existsSync(lock)).toBe(false);

    // A lock left by a process that died (kill -9) is taken over, and the command says so.
    const killed = start(args);
    const killedNode = await waitFor('the second owner', () => (existsSync(lock) ? (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid : undefined));
    const killedTree = descendants(killed.child.pid!);
    process.kill(killedNode, 'SIGKILL');
    await killed.done;
    await waitFor('the workers of the killed sweep to end', () => killedTree.every((pid) => !alive(pid)) || undefined, 20_000);
    const taken = start(args);
    await waitFor('a new owner', () => existsSync(lock) && (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid !== killedNode ? true : undefined);
    taken.child.kill('SIGTERM');
    const takenRun = await taken.done;
    expect(takenRun.stderr).toContain(`note: took over the lock of ${join(out, 'sweep.sqlite')} left by pid ${killedNode}`);
    expect(takenRun.code).toBe(EXIT_CODES.interrupted);

    const otherName = sweepFile('other.yaml', FIXTURE.replace('name: tiny\n', 'name: other\n'));
    const refused = await run(['sweep', otherName, '--out', out, '--no-report', '--workers', '1']);
    expect(refused.code).toBe(EXIT_CODES.usage);
    expect(refused.stderr).toContain(`${join(out, 'sweep.sqlite')} holds the sweep "long", not "other": give this sweep its own folder with --out`);
    expect(refused.stderr).toContain('--append');
  });
});
