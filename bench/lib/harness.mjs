// Benchmark harness shared by every bench/*.mjs: times a project workload and its peer in the same run,
// alternating project and peer, and prints one JSON line {"name","project_s","peer_s","ratio","peer"} with the
// medians. Every peer is checked before it is timed (checkPeer); a peer that fails the check gets no ratio.
// Details (each repetition, versions) go to stderr so stdout stays machine-readable.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { createInterface } from 'node:readline';

/** A peer's GEMM must reach this fraction of the machine's peak (machinePeak) to be timed against. */
export const PEER_GEMM_MIN_FRACTION = 0.3;

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
 * epoch instead of 3.2–3.9 s. Peers whose only parallelism is OpenBLAS (numpy) pass `blasThreads` = cores.
 * `--keep-openblas-env` passes the environment unchanged.
 */
export function peerEnv(base = process.env, { blasThreads = 1 } = {}) {
  if (process.argv.includes('--keep-openblas-env')) return base;
  const env = { ...base };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = String(blasThreads);
  return env;
}

/**
 * This machine's theoretical peak, a stated formula rather than a measurement (a measurement with a peer's own
 * BLAS would excuse a slow peer): cores × nominal clock (`cpu MHz` of /proc/cpuinfo) × flops per cycle and core
 * from the vector flags — 32 float64 (two 512-bit FMA units) with avx512f, 16 with avx2 + fma, 8 with avx, else
 * 4 — and twice that for float32. Turbo clocks can take a good GEMM above 100 % of it.
 */
export function machinePeak() {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? 'unknown CPU';
  const mhz = Math.max(...[...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1])));
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/));
  const perCycle = flags.has('avx512f') ? 32 : flags.has('avx2') && flags.has('fma') ? 16 : flags.has('avx') ? 8 : 4;
  if (!Number.isFinite(mhz) || mhz <= 0) return null;
  const cores = availableParallelism();
  const float64PerCore = (mhz / 1000) * perCycle;
  return { model, cores, mhz, float64PerCore, float32PerCore: 2 * float64PerCore };
}

/** Checks of the peers started by this process (startPeer, checkPeer); compare() gives no ratio if one failed. */
const peerChecks = [];

/**
 * Checks a Python peer before timing it: `library` ('numpy' or 'torch') must be built against or load an
 * optimized BLAS (OpenBLAS, MKL, BLIS, Accelerate, ArmPL — bench/lib/peer-check.py reads the loaded libraries,
 * since Debian builds name only "blas"), and a 1024² GEMM (float64 for numpy, float32 for torch) must reach
 * PEER_GEMM_MIN_FRACTION of machinePeak() for the BLAS threads the peer runs with. Returns
 * {ok, reason, info} and records it for compare(); never throws (a failed check is a reason, printed).
 */
export function checkPeer(python, library, env = peerEnv()) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peer-check.py');
  const run = spawnSync(python, [script, library], { env, encoding: 'utf8' });
  let check;
  if (run.status !== 0) {
    check = { ok: false, library, reason: `${library} peer check failed to run (${python}): ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}` };
  } else {
    const info = JSON.parse(run.stdout.trim().split('\n').at(-1));
    const peak = machinePeak();
    const threads = Math.max(1, Number(env.OPENBLAS_NUM_THREADS ?? availableParallelism()) || 1);
    const usable = Math.min(threads, peak?.cores ?? threads);
    const peakGflops = peak === null ? null : usable * (library === 'torch' ? peak.float32PerCore : peak.float64PerCore);
    const fraction = peakGflops === null ? null : info.gemm_gflops / peakGflops;
    const blas = info.openblas ?? info.build_blas;
    const describe = `${library} ${info.version}, BLAS ${blas}, ${info.gemm_dtype} GEMM ${info.gemm_size}² ${info.gemm_gflops.toFixed(1)} GFLOP/s` +
      (fraction === null ? ' (machine peak unknown)' : ` = ${(100 * fraction).toFixed(0)} % of ${peakGflops.toFixed(0)} GFLOP/s peak on ${usable} core${usable > 1 ? 's' : ''}`);
    let reason = null;
    if (!info.optimized) reason = `no optimized BLAS: built against "${info.build_blas}", loaded ${info.loaded_blas.join(', ') || 'nothing'}`;
    else if (fraction !== null && fraction < PEER_GEMM_MIN_FRACTION) reason = `GEMM below ${100 * PEER_GEMM_MIN_FRACTION} % of peak`;
    check = { ok: reason === null, library, reason: reason === null ? describe : `${reason}: ${describe}`, info: { ...info, gemm_fraction: fraction, blas_threads: threads } };
  }
  console.error(`# peer check ${check.ok ? 'passed' : 'FAILED'}: ${check.reason}`);
  peerChecks.push(check);
  return check;
}

/** 'torch' or 'numpy' when the peer script imports it (torch wins: torch peers also import numpy), else null. */
function peerLibrary(args) {
  const script = args.find((a) => a.endsWith('.py'));
  if (script === undefined) return null;
  let source = '';
  try {
    source = readFileSync(script, 'utf8');
  } catch {
    return null;
  }
  if (/^\s*(import|from)\s+torch\b/m.test(source)) return 'torch';
  if (/^\s*(import|from)\s+numpy\b/m.test(source)) return 'numpy';
  return null;
}

/**
 * A long-lived peer process speaking one JSON object per line: it prints a first line when ready, then
 * answers each request line with one result line. Keeps interpreter start-up and imports out of the timing.
 */
export async function startPeer(command, args, options = {}) {
  const env = peerEnv(options.env ?? process.env, { blasThreads: options.blasThreads ?? 1 });
  // Checked first, in the environment it will run in: options.library, else what the script imports.
  const library = options.library ?? peerLibrary(args);
  const check = library === null ? null : checkPeer(command, library, env);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
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
    check,
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
 * Prints {"name","project_s","peer_s","ratio","project_range","peer_range","peer"} (medians, ratio =
 * project/peer, min–max of the repetitions, the peer's check) and returns it. When a peer check of this process
 * failed, ratio is null and "refused" says why. `extra()`'s fields, computed after the timing, are added
 * to the line (e.g. an error measure).
 */
export async function compare({ name, project, peer, repetitions = 5, warmup = 1, log = console.error, extra = () => ({}) }) {
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
  result.project_range = [round(Math.min(...projectTimes)), round(Math.max(...projectTimes))];
  result.peer_range = [round(Math.min(...peerTimes)), round(Math.max(...peerTimes))];
  Object.assign(result, extra());
  const failed = peerChecks.find((c) => !c.ok);
  if (peerChecks.length > 0) {
    const c = failed ?? peerChecks[0];
    result.peer = { library: c.library, version: c.info?.version, blas: c.info?.openblas ?? c.info?.build_blas, gemm_gflops: c.info && round(c.info.gemm_gflops), gemm_fraction: c.info?.gemm_fraction == null ? null : round(c.info.gemm_fraction) };
  }
  if (failed !== undefined) {
    result.ratio = null;
    result.refused = failed.reason;
    log(`# ${name}: no ratio, the peer failed its check: ${failed.reason}`);
  }
  console.log(JSON.stringify(result));
  return result;
}

const round = (x) => Math.round(x * 1e4) / 1e4;
