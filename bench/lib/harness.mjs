// Benchmark harness shared by every bench/*.mjs: times a project workload and its peer in the same run,
// alternating project and peer, and prints one JSON line {"name","project_s","peer_s","ratio"} with the medians.
// Details (each repetition, versions) go to stderr so stdout stays machine-readable.
import { spawn, spawnSync } from 'node:child_process';
import { tsImport } from 'tsx/esm/api';
import { createInterface } from 'node:readline';

/** Median of a non-empty list of numbers (mean of the middle two for even lengths). */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Command-line option `--name value` of this process, or the fallback. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

/**
 * Re-runs this script as the `rank-collapse` executable runs: with `--conditions=source` (workspace packages
 * resolve to their TypeScript sources) and the executable's glibc malloc settings (apps/cli/src/malloc-env.ts),
 * unless it already has both; returns only in the re-run process.
 */
export async function ensureSourceConditions() {
  const { MALLOC_ENV } = await tsImport('../../apps/cli/src/malloc-env.ts', import.meta.url);
  const hasConditions = process.execArgv.some((a) => a.includes('conditions=source'));
  if (hasConditions && Object.entries(MALLOC_ENV).every(([k, v]) => process.env[k] === v)) return;
  const execArgv = hasConditions ? process.execArgv : ['--conditions=source', ...process.execArgv];
  const run = spawnSync(process.execPath, [...execArgv, process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ...MALLOC_ENV } });
  process.exit(run.status ?? 1);
}

/**
 * The peer's environment, set up so the peer runs at its best (a slowed peer would flatter every ratio):
 * without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which these machines pin for old OpenBLAS builds, and with
 * OPENBLAS_NUM_THREADS=1 so that PyTorch's own thread pool (torch.set_num_threads) is the only parallelism —
 * measured here, torch with 2 threads over a 2-thread OpenBLAS oversubscribes 2 cores and takes 6–9 s per MLP
 * epoch instead of 3.2–3.9 s. `--keep-openblas-env` passes the environment unchanged.
 */
export function peerEnv(base = process.env) {
  if (process.argv.includes('--keep-openblas-env')) return base;
  const env = { ...base };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = '1';
  return env;
}

/**
 * A long-lived peer process speaking one JSON object per line: it prints a first line when ready, then
 * answers each request line with one result line. Keeps interpreter start-up and imports out of the timing.
 */
export async function startPeer(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: peerEnv(options.env ?? process.env) });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let exited = null;
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  // The peer never outlives the benchmark, even when it fails or is interrupted.
  const stop = () => child.kill();
  process.on('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`peer ${command} ${args.join(' ')} ${exited ?? 'closed its output'}`);
    return JSON.parse(value);
  };
  const ready = await next();
  return {
    ready,
    async request(message) {
      child.stdin.write(`${JSON.stringify(message)}\n`);
      return next();
    },
    close() {
      child.stdin.end();
      child.kill();
      process.off('exit', stop);
    },
  };
}

/**
 * Runs `project()` and `peer()` alternately `repetitions` times after `warmup` untimed rounds of each.
 * Each function returns its own measured seconds (to exclude set-up) or nothing (then the call is timed).
 * Prints {"name","project_s","peer_s","ratio"} (medians, ratio = project/peer) and returns it.
 */
export async function compare({ name, project, peer, repetitions = 5, warmup = 1, log = console.error }) {
  const timed = async (fn) => {
    const t0 = performance.now();
    const reported = await fn();
    return typeof reported === 'number' ? reported : (performance.now() - t0) / 1000;
  };
  for (let i = 0; i < warmup; i++) {
    await timed(project);
    await timed(peer);
  }
  const projectTimes = [];
  const peerTimes = [];
  for (let i = 0; i < repetitions; i++) {
    // Alternate which side goes first so drifts (thermal, caches) hit both alike.
    const order = i % 2 === 0 ? [project, peer] : [peer, project];
    for (const fn of order) (fn === project ? projectTimes : peerTimes).push(await timed(fn));
    log(`# ${name} rep ${i + 1}: project ${projectTimes.at(-1).toFixed(3)} s, peer ${peerTimes.at(-1).toFixed(3)} s`);
  }
  const result = { name, project_s: round(median(projectTimes)), peer_s: round(median(peerTimes)) };
  result.ratio = round(result.project_s / result.peer_s);
  console.log(JSON.stringify(result));
  return result;
}

const round = (x) => Math.round(x * 1e4) / 1e4;
