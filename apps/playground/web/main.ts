/**
 * The playground page: the controls, two runs side by side (same config, two values of λ) each in its own Web
 * Worker, live charts of their collapse, the certificate chain, and a comparison of the TensorFlow.js backends.
 * Everything the page shows is also on `window.playground` (read by the browser test).
 */
import { drawChart, type Series } from './charts.js';
import { BACKEND_KINDS, pageConfigFromParams, runConfig, type BackendKind, type PageConfig, type RunConfig } from './run-config.js';
import type { Snapshot } from './snapshot.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f'];
const K = 10;

interface RunState {
  config: RunConfig;
  status: 'idle' | 'starting' | 'running' | 'done' | 'aborted' | 'diverged' | 'error';
  device: string;
  snapshots: Snapshot[];
  error: string | null;
  finalParams: Record<string, number[]> | null;
}

interface Comparison {
  backend: BackendKind;
  status: 'waiting' | 'running' | 'done' | 'unavailable' | 'error';
  device: string;
  stepsPerSecond: number | null;
  final: Snapshot | null;
  maxParamDifference: number | null;
  error: string | null;
  finalParams: Record<string, number[]> | null;
}

interface PlaygroundState {
  config: PageConfig;
  available: Record<BackendKind, boolean>;
  runs: RunState[];
  /** Marks drawn in each chart, by chart id. */
  marks: Record<string, number>;
  comparisons: Comparison[];
  comparing: boolean;
  /** True once both runs ended (done, aborted, diverged or error). */
  finished: boolean;
}

declare global {
  interface Window {
    playground: PlaygroundState;
  }
}

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector(selector) as T;
const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1));
const lambdaLabel = (lambda: number): string => `λ = ${lambda === 0 ? '0' : fmt(lambda, 2)}`;

async function detectBackends(): Promise<Record<BackendKind, boolean>> {
  const canvas = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1);
  const webgl = canvas !== null && (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
  let webgpu = false;
  try {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    webgpu = gpu !== undefined && (await gpu.requestAdapter()) !== null;
  } catch {
    webgpu = false;
  }
  return { webgl, webgpu, wasm: typeof WebAssembly === 'object', cpu: true };
}

const state: PlaygroundState = {
  config: pageConfigFromParams(new URLSearchParams(location.search)),
  available: { webgl: false, webgpu: false, wasm: true, cpu: true },
  runs: [],
  marks: {},
  comparisons: [],
  comparing: false,
  finished: false,
};
window.playground = state;

// ---- controls ------------------------------------------------------------------------------------------

const FIELDS: { id: string; label: string; read(c: PageConfig): string; hint?: string }[] = [
  { id: 'lambdaA', label: 'λ, left run', read: (c) => String(c.weightDecays[0]) },
  { id: 'lambdaB', label: 'λ, right run', read: (c) => String(c.weightDecays[1]) },
  { id: 'width', label: 'width', read: (c) => String(c.base.width) },
  { id: 'depth', label: 'hidden layers', read: (c) => String(c.base.depth) },
  { id: 'lr', label: 'learning rate η', read: (c) => String(c.base.lr) },
  { id: 'batch', label: 'batch size', read: (c) => String(c.base.batchSize) },
  { id: 'steps', label: 'steps', read: (c) => String(c.base.steps) },
  { id: 'every', label: 'analyze every', read: (c) => String(c.base.analyzeEvery), hint: 'steps' },
  { id: 'seed', label: 'seed', read: (c) => String(c.base.seed) },
];

function renderControls(): void {
  const form = $('#controls');
  const c = state.config;
  const inputs = FIELDS.map((f) => `<label>${f.label}<input id="in-${f.id}" name="${f.id}" type="number" step="any" value="${f.read(c)}"></label>`).join('');
  const datasets = `<label>dataset<select id="in-dataset" name="dataset">
      <option value="mnist"${c.base.dataset === 'mnist' ? ' selected' : ''}>MNIST subset (2000 / 500)</option>
      <option value="gaussian-mixture"${c.base.dataset === 'gaussian-mixture' ? ' selected' : ''}>Gaussian mixture (K = 10, D = 64)</option></select></label>`;
  const backends = `<label>backend<select id="in-backend" name="backend">${BACKEND_KINDS.map(
    (b) => `<option value="${b}"${b === c.base.backend ? ' selected' : ''}${state.available[b] ? '' : ' disabled'}>${b === 'webgl' ? 'WebGL' : b === 'webgpu' ? 'WebGPU' : b}${state.available[b] ? '' : ' (not here)'}</option>`,
  ).join('')}</select></label>`;
  form.innerHTML = `${datasets}${backends}${inputs}
    <div class="buttons"><button id="start" type="submit">Train both</button><button id="stop" type="button">Stop</button><button id="compare" type="button" title="Run the left config for 80 steps on every backend here">Compare backends</button></div>`;
  form.onsubmit = (event) => {
    event.preventDefault();
    startRuns(readControls());
  };
  $('#stop').onclick = () => stopAll();
  $('#compare').onclick = () => void compareBackends(readControls());
}

function readControls(): PageConfig {
  const params = new URLSearchParams();
  for (const f of [...FIELDS.map((f) => f.id), 'dataset', 'backend']) params.set(f, ($(`#in-${f}`) as HTMLInputElement).value);
  const config = pageConfigFromParams(params, state.config);
  if (!state.available[config.base.backend]) return { ...config, base: { ...config.base, backend: 'cpu' } };
  return config;
}

// ---- runs ----------------------------------------------------------------------------------------------

const workers: Worker[] = [];

function stopAll(): void {
  for (const w of workers) w.postMessage({ type: 'stop' } satisfies ToWorker);
}

function startWorker(config: RunConfig, onMessage: (message: FromWorker) => void): Worker {
  const worker = new Worker(new URL('./worker.js', location.href));
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => onMessage({ type: 'error', message: event.message || 'the worker failed to load' });
  worker.postMessage({ type: 'start', config } satisfies ToWorker);
  return worker;
}

function startRuns(config: PageConfig): void {
  for (const w of workers.splice(0)) w.terminate();
  state.config = config;
  state.finished = false;
  history.replaceState(null, '', `?${new URLSearchParams({ dataset: config.base.dataset, backend: config.base.backend, width: String(config.base.width), depth: String(config.base.depth), lr: String(config.base.lr), batch: String(config.base.batchSize), steps: String(config.base.steps), every: String(config.base.analyzeEvery), seed: String(config.base.seed), lambdaA: String(config.weightDecays[0]), lambdaB: String(config.weightDecays[1]) })}`);
  state.runs = ([0, 1] as const).map((i) => ({ config: runConfig(config, i), status: 'starting', device: '', snapshots: [], error: null, finalParams: null }));
  state.runs.forEach((run) => {
    workers.push(
      startWorker(run.config, (message) => {
        if (message.type === 'ready') Object.assign(run, { status: 'running', device: message.device });
        else if (message.type === 'snapshot') run.snapshots.push(message.snapshot);
        else if (message.type === 'done') Object.assign(run, { status: message.status, finalParams: message.finalParams });
        else if (message.type === 'error') Object.assign(run, { status: 'error', error: message.message });
        state.finished = state.runs.every((r) => !['starting', 'running', 'idle'].includes(r.status));
        scheduleDraw();
      }),
    );
  });
  scheduleDraw();
}

// ---- drawing -------------------------------------------------------------------------------------------

let pending = false;
function scheduleDraw(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    draw();
  });
}

type Metric = { id: string; title: string; note: string; yLabel: string; yScale: 'linear' | 'log'; series(run: RunState): Series[]; rules?: boolean };

const layerNames = (run: RunState): string[] => run.snapshots[0]?.layers.map((l) => l.layer) ?? [];
const overSteps = (run: RunState, value: (s: Snapshot, layer: number) => number | null | undefined): Series[] =>
  layerNames(run).map((name, l) => ({ name, color: PALETTE[l % PALETTE.length], points: run.snapshots.map((s) => [s.step, value(s, l) ?? NaN] as [number, number]) }));

const METRICS: Metric[] = [
  {
    id: 'spectrum',
    title: 'Singular values of every layer',
    note: 'σ_j of each weight matrix W at the latest analysis, log scale; the rule marks j = K = 10. Collapse: the tail beyond K sinks.',
    yLabel: 'σ_j',
    yScale: 'log',
    rules: true,
    series: (run) => {
      const last = run.snapshots[run.snapshots.length - 1];
      return (last?.layers ?? []).map((layer, l) => ({ name: layer.layer, color: PALETTE[l % PALETTE.length], dots: false, points: layer.singularValues.map((v, j) => [j + 1, v] as [number, number]) }));
    },
  },
  {
    id: 'relative-tail',
    title: 'Relative tail τ_K/‖W‖_F',
    note: 'Share of W outside its best rank-K approximation, per layer over steps (the classifier, K rows, has none).',
    yLabel: 'τ_K / ‖W‖_F',
    yScale: 'log',
    series: (run) => overSteps(run, (s, l) => s.layers[l].relativeTailK),
  },
  {
    id: 'numerical-rank',
    title: 'Numerical rank',
    note: '#{σ_j > 10⁻³·σ_1} per layer over steps; it reacts late, the relative tail early.',
    yLabel: 'rank',
    yScale: 'linear',
    series: (run) => overSteps(run, (s, l) => s.layers[l].numericalRank),
  },
  {
    id: 'input-tcv',
    title: 'Within-class variability of each layer’s input',
    note: 'Scale-free TCV of h_{l−1}: within-class scatter over total energy, log scale; it bounds how far W can stay from rank K.',
    yLabel: 'scale-free TCV',
    yScale: 'log',
    series: (run) => overSteps(run, (s, l) => s.layers[l].inputScaleFreeTcv),
  },
  {
    id: 'accuracy',
    title: 'Accuracy',
    note: 'On the whole training subset (solid) and the test subset (dashed), with the current weights.',
    yLabel: 'accuracy',
    yScale: 'linear',
    series: (run) => [
      { name: 'train', color: '#333', points: run.snapshots.map((s) => [s.step, s.trainAccuracy] as [number, number]) },
      { name: 'test', color: '#888', dashed: true, points: run.snapshots.map((s) => [s.step, s.testAccuracy] as [number, number]) },
    ],
  },
];

function renderLayout(): void {
  $('#charts').innerHTML = METRICS.map(
    (m) => `<section class="metric" id="metric-${m.id}"><h3>${m.title}</h3><p class="note">${m.note}</p>
      <div class="pair">${[0, 1].map((i) => `<div class="chart" id="chart-${m.id}-${i}" data-marks="0"></div>`).join('')}</div></section>`,
  ).join('');
}

function statusLine(run: RunState): string {
  const last = run.snapshots[run.snapshots.length - 1];
  const rate = [...run.snapshots].reverse().find((s) => s.stepsPerSecond !== null)?.stepsPerSecond ?? null;
  if (run.status === 'error') return `<span class="error">${escapeHtml(run.error ?? 'error')}</span>`;
  return `<b>${run.status}</b> · step ${last?.step ?? 0} / ${run.config.steps} · ${fmt(rate)} steps/s · train ${fmt((last?.trainAccuracy ?? NaN) * 100)} % · test ${fmt((last?.testAccuracy ?? NaN) * 100)} %`;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function certificateTable(run: RunState): string {
  const last = run.snapshots[run.snapshots.length - 1];
  if (!last) return '<p class="note">waiting for the first analysis…</p>';
  if (run.config.weightDecay === 0) return '<p class="note">The certificate needs λ > 0: at λ = 0 nothing pulls W toward rank K (the decomposition W = A + E + R divides by λ).</p>';
  const rows = last.layers
    .filter((l) => l.offSpanE !== null && l.boundER !== null)
    .map((l) => {
      const projected = (l.offSpanE ?? NaN) + (l.offSpanR ?? NaN);
      const holds = l.tailK <= l.offSpanW! * (1 + 1e-9) && l.offSpanW! <= projected * (1 + 1e-9) && projected <= l.boundER! * (1 + 1e-9);
      return `<tr><td>${l.layer}</td><td>${fmt(l.tailK)}</td><td>${fmt(l.offSpanW)}</td><td>${fmt(projected)}</td><td>${fmt(l.boundER)}</td><td>${fmt(l.slack)}</td><td class="${holds ? 'ok' : 'bad'}">${holds ? '✓' : '✗'}</td></tr>`;
    })
    .join('');
  return `<table class="certificate"><thead><tr><th>layer</th><th>τ_K</th><th>‖W P⊥‖</th><th>‖E P⊥‖ + ‖R P⊥‖</th><th>‖E‖ + ‖R‖</th><th>slack</th><th>chain</th></tr></thead><tbody>${rows}</tbody></table>
    <p class="note">At step ${last.step}. P⊥ projects off the span of the class means of the layer input; E is the within-class part of the gradient over λ, R the stationarity residual.</p>`;
}

function draw(): void {
  const runs = state.runs;
  for (const i of [0, 1]) {
    const run = runs[i];
    $(`#run-${i} h2`).textContent = run ? lambdaLabel(run.config.weightDecay) : '';
    $(`#run-${i} .status`).innerHTML = run ? statusLine(run) : '';
    $(`#run-${i} .device`).textContent = run?.device ?? '';
    $(`#cert-${i}`).innerHTML = run ? `<h3>Certificate, ${lambdaLabel(run.config.weightDecay)}</h3>${certificateTable(run)}` : '';
  }
  const legendNames = runs[0] ? layerNames(runs[0]) : [];
  $('#legend').innerHTML = legendNames.map((n, l) => `<span><i style="background:${PALETTE[l % PALETTE.length]}"></i>${n}</span>`).join('');
  for (const metric of METRICS) {
    const series = runs.map((run) => metric.series(run));
    // One y range for both runs, so the two columns compare at a glance.
    const positive = metric.yScale === 'log';
    const ys = series.flat().flatMap((s) => s.points.map((p) => p[1])).filter((y) => Number.isFinite(y) && (!positive || y > 0));
    const yDomain = ys.length ? ([Math.min(...ys), Math.max(...ys)] as [number, number]) : undefined;
    runs.forEach((run, i) => {
      const host = document.getElementById(`chart-${metric.id}-${i}`)!;
      const xDomain: [number, number] = metric.id === 'spectrum' ? [1, Math.max(2, ...series[i].map((s) => s.points.length))] : [0, run.config.steps];
      const marks = drawChart(host, {
        series: series[i],
        xLabel: metric.id === 'spectrum' ? 'index j' : 'step',
        yLabel: metric.yLabel,
        yScale: metric.yScale,
        xDomain,
        ...(yDomain ? { yDomain } : {}),
        ...(metric.rules ? { rules: [{ x: K, label: 'K' }] } : {}),
        width: host.clientWidth || 480,
        height: 210,
      });
      host.dataset.marks = String(marks);
      state.marks[host.id] = marks;
    });
  }
  drawComparison();
}

// ---- backend comparison --------------------------------------------------------------------------------

const COMPARE_STEPS = 80;
const COMPARE_EVERY = 20;

function drawComparison(): void {
  const host = $('#comparison');
  if (state.comparisons.length === 0) {
    host.innerHTML = '<p class="note">“Compare backends” trains the left run’s config for 80 steps on every backend this browser offers, one after another, and shows their speed and whether they agree.</p>';
    return;
  }
  const rows = state.comparisons
    .map((c) => {
      const last = c.final;
      const tails = last?.layers.map((l) => fmt(l.relativeTailK)).join(' · ') ?? '–';
      const status = c.status === 'error' ? `<span class="error">${escapeHtml(c.error ?? '')}</span>` : c.status;
      return `<tr><td>${c.backend}</td><td>${status}</td><td>${fmt(c.stepsPerSecond)}</td><td>${fmt(last?.trainLoss)}</td><td>${tails}</td><td>${fmt(c.maxParamDifference)}</td><td class="device">${escapeHtml(c.device)}</td></tr>`;
    })
    .join('');
  host.innerHTML = `<table class="comparison"><thead><tr><th>backend</th><th>status</th><th>steps/s</th><th>train loss (last ${COMPARE_EVERY} steps)</th><th>τ_K/‖W‖_F per layer</th><th>max |ΔW| vs cpu</th><th>device</th></tr></thead><tbody>${rows}</tbody></table>
    <p class="note">Steps per second exclude the first ${COMPARE_EVERY} steps (shader compilation, warm-up) and the analyses. Float32 kernels differ in summation order, so the backends agree to rounding, not bit for bit.</p>`;
}

/** Speed after the first snapshot window: steps / seconds of SGD, analysis excluded. */
function steadyRate(snapshots: readonly Snapshot[]): number | null {
  const first = snapshots.find((s) => s.step > 0);
  const last = snapshots[snapshots.length - 1];
  if (!first || !last || last.step === first.step) return null;
  return (last.step - first.step) / (last.trainSeconds - first.trainSeconds);
}

async function compareBackends(config: PageConfig): Promise<void> {
  if (state.comparing) return;
  state.comparing = true;
  const base: RunConfig = { ...runConfig(config, 0), steps: COMPARE_STEPS, analyzeEvery: COMPARE_EVERY };
  // cpu first: the others are compared to it.
  const order: BackendKind[] = ['cpu', 'wasm', 'webgl', 'webgpu'];
  state.comparisons = order.map((backend) => ({ backend, status: state.available[backend] ? 'waiting' : 'unavailable', device: '', stepsPerSecond: null, final: null, maxParamDifference: null, error: null, finalParams: null }));
  drawComparison();
  for (const comparison of state.comparisons) {
    if (comparison.status === 'unavailable') continue;
    comparison.status = 'running';
    drawComparison();
    const snapshots: Snapshot[] = [];
    await new Promise<void>((resolve) => {
      const worker = startWorker({ ...base, backend: comparison.backend }, (message) => {
        if (message.type === 'ready') comparison.device = message.device;
        else if (message.type === 'snapshot') snapshots.push(message.snapshot);
        else if (message.type === 'error') Object.assign(comparison, { status: 'error', error: message.message });
        else if (message.type === 'done') Object.assign(comparison, { status: 'done', finalParams: message.finalParams });
        if (message.type === 'done' || message.type === 'error') {
          worker.terminate();
          resolve();
        }
        comparison.final = snapshots[snapshots.length - 1] ?? null;
        comparison.stepsPerSecond = steadyRate(snapshots);
        drawComparison();
      });
    });
    const reference = state.comparisons[0].finalParams;
    if (reference && comparison.finalParams) {
      let max = 0;
      for (const [name, values] of Object.entries(comparison.finalParams)) values.forEach((v, i) => (max = Math.max(max, Math.abs(v - reference[name][i]))));
      comparison.maxParamDifference = max;
    }
    drawComparison();
  }
  state.comparing = false;
}

// ---- start ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  state.available = await detectBackends();
  if (!state.available[state.config.base.backend]) state.config = { ...state.config, base: { ...state.config.base, backend: state.available.webgl ? 'webgl' : 'wasm' } };
  renderControls();
  renderLayout();
  addEventListener('resize', scheduleDraw);
  const params = new URLSearchParams(location.search);
  if (params.get('autostart') !== '0') startRuns(state.config);
  else draw();
  document.body.dataset.ready = 'true';
}

void main();
