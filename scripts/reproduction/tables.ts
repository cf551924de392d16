/**
 * The tables of docs/reproduction.md, read from a sweep store: per λ and layer the mean ± standard deviation over
 * seeds (latest checkpoint of every finished trial), how tight each certificate is, every inequality of the chain
 * checked on every row, and the proportionality fits. Markdown on stdout.
 *
 *   node --conditions=source --import tsx scripts/reproduction/tables.ts runs/mlp-seeds/sweep.sqlite [torch.jsonl]
 *
 * With a PyTorch results file (scripts/reproduction/torch_side_by_side.py) it adds the side-by-side table.
 */
import { readFileSync } from 'node:fs';
import { loadReportData, type ReportLayerRow, type ReportTrial } from '../../packages/report/src/index.js';
import { describeFit, proportionalityFits, proportionalityPoints } from '../../packages/report/src/figures/proportionality-figure.js';
import { logLogFit } from '../../packages/report/src/figures/log-log-fit.js';

const [store, torchFile] = process.argv.slice(2);
if (!store) {
  console.error('usage: tables.ts <sweep.sqlite> [torch.jsonl]');
  process.exit(2);
}
const data = loadReportData(store);
const done = data.trials.filter((t) => t.status === 'done');
const latest = (trial: ReportTrial): ReportLayerRow[] => {
  const epoch = Math.max(...trial.layers.map((r) => r.epoch));
  return trial.layers.filter((r) => r.epoch === epoch).sort((a, b) => a.index - b.index);
};
const lambdas = [...new Set(done.map((t) => t.config.weightDecay))].sort((a, b) => a - b);
const layers = [...new Set(done.flatMap((t) => latest(t).map((r) => r.layer)))];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => (xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);
const g = (x: number) => (Math.abs(x) >= 1000 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3));
const pm = (xs: number[], digits = g) => (xs.length ? `${digits(mean(xs))} ± ${digits(sd(xs))}` : '—');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const rowsAt = (lambda: number, layer: string) =>
  done.filter((t) => t.config.weightDecay === lambda).flatMap((t) => latest(t).filter((r) => r.layer === layer).map((r) => ({ r, t })));
const values = (items: Array<{ r: ReportLayerRow; t: ReportTrial }>, f: (r: ReportLayerRow, t: ReportTrial) => number | null) =>
  items.map(({ r, t }) => f(r, t)).filter((v): v is number => v !== null);
const geo = (xs: number[]) => (xs.length ? Math.exp(mean(xs.map(Math.log))) : NaN);

const seeds = [...new Set(done.map((t) => t.config.seed))];
console.log(`store ${store}: ${done.length} finished trials of ${data.trials.length}; seeds ${seeds.join(', ')}; checkpoint epochs ${[...new Set(done.map((t) => Math.max(...t.layers.map((r) => r.epoch))))].join(', ')}\n`);

console.log('### Per λ and layer (mean ± sd over seeds)\n');
console.log('| λ | layer | numerical rank | τ_K/‖W‖_F | ‖R‖_F/‖W‖_F | ‖∇_W J‖_F | train acc | test acc |');
console.log('|---|---|---|---|---|---|---|---|');
for (const lambda of lambdas) {
  for (const layer of layers) {
    const items = rowsAt(lambda, layer);
    const finalEpoch = (t: ReportTrial) => t.epochs[t.epochs.length - 1];
    console.log(
      `| ${g(lambda)} | ${layer} | ${pm(values(items, (r) => num(r.numericalRank)), (x) => x.toFixed(1))} | ${pm(values(items, (r) => num(r.relativeTailK)))} | ` +
        `${pm(values(items, (r) => num(r.relativeNormR) ?? (num(r.normR) !== null ? r.normR! / r.frobeniusNorm : null)))} | ${pm(values(items, (r) => num(r.gradientNorm)))} | ` +
        `${layer === layers[0] ? pm(values(items, (_r, t) => num(finalEpoch(t)?.trainAccuracy)), (x) => x.toFixed(4)) : ''} | ` +
        `${layer === layers[0] ? pm(values(items, (_r, t) => num(finalEpoch(t)?.testAccuracy)), (x) => x.toFixed(4)) : ''} |`,
    );
  }
}

const checkpoints = [...new Set(done.flatMap((t) => t.layers.map((r) => r.epoch)))].filter((e) => e > 0).sort((a, b) => a - b);
console.log('\n### ‖R‖_F/‖W‖_F over the checkpoints (mean over seeds; layers in order)\n');
console.log(`| λ | ${checkpoints.map((e) => `epoch ${e}`).join(' | ')} |`);
console.log(`|---|${checkpoints.map(() => '---').join('|')}|`);
for (const lambda of lambdas.filter((l) => l > 0)) {
  const cells = checkpoints.map((epoch) =>
    layers
      .map((layer) => {
        const xs = done
          .filter((t) => t.config.weightDecay === lambda)
          .flatMap((t) => t.layers.filter((r) => r.epoch === epoch && r.layer === layer))
          .map((r) => num(r.relativeNormR))
          .filter((v): v is number => v !== null);
        return xs.length ? g(mean(xs)) : '—';
      })
      .join(' / '),
  );
  console.log(`| ${g(lambda)} | ${cells.join(' | ')} |`);
}

const bounds: Array<[string, (r: ReportLayerRow) => number | null]> = [
  ['‖E‖+‖R‖', (r) => num(r.boundER)],
  ['tcvBoundFull', (r) => num(r.tcvBoundFull)],
  ['sampleBoundFull', (r) => num(r.sampleBoundFull)],
  ['‖EP⊥‖+‖RP⊥‖', (r) => (num(r.offSpanE) !== null && num(r.offSpanR) !== null ? r.offSpanE! + r.offSpanR! : null)],
  ['offSpanSampleBoundFull', (r) => num(r.offSpanSampleBoundFull)],
  ['dualOffSpanSampleBoundFull', (r) => num(r.dualOffSpanSampleBoundFull)],
];
console.log('\n### Tightness: bound / τ_K (geometric mean over seeds; 1 would be exact)\n');
console.log(`| λ | layer | ${bounds.map(([name]) => name).join(' | ')} |`);
console.log(`|---|---|${bounds.map(() => '---').join('|')}|`);
for (const lambda of lambdas.filter((l) => l > 0)) {
  for (const layer of layers) {
    const items = rowsAt(lambda, layer).filter(({ r }) => num(r.tailK)! > 0);
    if (items.length === 0) continue;
    console.log(`| ${g(lambda)} | ${layer} | ${bounds.map(([, f]) => g(geo(values(items, (r) => (f(r) === null ? null : f(r)! / r.tailK!))))).join(' | ')} |`);
  }
}
const eTerms: Array<[string, (r: ReportLayerRow) => number | null]> = [
  ['tcvBound/‖E‖', (r) => num(r.tcvBound)],
  ['sampleBound/‖E‖', (r) => num(r.sampleBound)],
  ['centeredSampleBound/‖E‖', (r) => num(r.centeredSampleBound)],
  ['dualSampleBound/‖E‖', (r) => num(r.dualSampleBound)],
];
console.log('\n### The bounds on ‖E‖ alone: bound / ‖E‖_F (geometric mean over seeds)\n');
console.log(`| λ | layer | ${eTerms.map(([name]) => name).join(' | ')} | offSpanSampleBound/‖EP⊥‖ |`);
console.log(`|---|---|${eTerms.map(() => '---').join('|')}|---|`);
for (const lambda of lambdas.filter((l) => l > 0)) {
  for (const layer of layers) {
    const items = rowsAt(lambda, layer).filter(({ r }) => num(r.normE)! > 0);
    if (items.length === 0) continue;
    const cells = eTerms.map(([, f]) => g(geo(values(items, (r) => (f(r) === null ? null : f(r)! / r.normE!)))));
    console.log(`| ${g(lambda)} | ${layer} | ${cells.join(' | ')} | ${g(geo(values(items, (r) => (num(r.offSpanSampleBound) !== null && r.offSpanE! > 0 ? r.offSpanSampleBound! / r.offSpanE! : null))))} |`);
  }
}

// Every inequality on every row of every checkpoint with λ > 0 (not only the latest).
const chain: Array<[string, (r: ReportLayerRow) => [number | null, number | null]]> = [
  ['τ_K ≤ ‖WP⊥‖', (r) => [r.tailK, r.offSpanW]],
  ['‖WP⊥‖ ≤ ‖EP⊥‖+‖RP⊥‖', (r) => [r.offSpanW, num(r.offSpanE) === null ? null : r.offSpanE! + r.offSpanR!]],
  ['‖EP⊥‖ ≤ offSpanSampleBound', (r) => [r.offSpanE, r.offSpanSampleBound]],
  ['‖EP⊥‖ ≤ offSpanCenteredSampleBound', (r) => [r.offSpanE, r.offSpanCenteredSampleBound]],
  ['τ_K ≤ offSpanSampleBoundFull', (r) => [r.tailK, r.offSpanSampleBoundFull]],
  ['‖E‖ ≤ sampleBound', (r) => [r.normE, r.sampleBound]],
  ['‖E‖ ≤ centeredSampleBound', (r) => [r.normE, r.centeredSampleBound]],
  ['‖E‖ ≤ dualSampleBound', (r) => [r.normE, r.dualSampleBound]],
  ['sampleBound ≤ tcvBound', (r) => [r.sampleBound, r.tcvBound]],
  ['‖P⊥_δE‖ ≤ dualOffSpanSampleBound', (r) => [r.dualOffSpanE, r.dualOffSpanSampleBound]],
  ['τ_K ≤ ‖E‖+‖R‖', (r) => [r.tailK, r.boundER]],
];
const all = data.trials.filter((t) => t.config.weightDecay > 0).flatMap((t) => t.layers.filter((r) => r.kind === 'dense'));
console.log(`\n### The chain on every dense row with λ > 0 (${all.length} rows, every checkpoint)\n`);
console.log('| inequality a ≤ b | rows | violations (a > b·(1 + 1e-6)) | largest a/b |');
console.log('|---|---|---|---|');
for (const [name, f] of chain) {
  const pairs = all.map(f).filter((p): p is [number, number] => num(p[0]) !== null && num(p[1]) !== null);
  const violations = pairs.filter(([a, b]) => a > b * (1 + 1e-6) + 1e-12).length;
  const largest = Math.max(...pairs.map(([a, b]) => (b > 0 ? a / b : 0)));
  console.log(`| ${name} | ${pairs.length} | ${violations} | ${g(largest)} |`);
}

const points = proportionalityPoints(data);
const stationaryKeys = new Set(
  done.flatMap((t) => latest(t).filter((r) => (num(r.relativeNormR) ?? Infinity) <= 0.05).map((r) => `${t.key}|${r.layer}`)),
);
console.log('\n### Proportionality: log10 λ·τ_K = a + b·log10 x, across λ, hidden layers and seeds\n');
console.log('| x | all rows | rows with ‖R‖ ≤ 0.05‖W‖ |');
console.log('|---|---|---|');
for (const { form, fit } of proportionalityFits(points)) {
  const near = logLogFit(points.filter((p) => p.form === form && stationaryKeys.has(`${p.trial}|${p.layer}`)));
  console.log(`| ${form} | ${describeFit(fit)}, a ${fit.intercept.toFixed(2)} | ${near ? `${describeFit(near)}, a ${near.intercept.toFixed(2)}` : '—'} |`);
}
for (const layer of layers) {
  const perLayer = points.filter((p) => p.layer === layer && p.form === 'Σ‖δ_i‖‖e_i‖/N');
  const fit = logLogFit(perLayer);
  if (fit) console.log(`| Σ‖δ_i‖‖e_i‖/N, ${layer} only | ${describeFit(fit)}, a ${fit.intercept.toFixed(2)} | |`);
}

// Does the layer order by the per-sample term match the order by τ_K (hidden layers, latest checkpoint)?
const orderOf = (xs: number[]) => xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]).join(',');
let sameOrder = 0;
let compared = 0;
for (const trial of done.filter((t) => t.config.weightDecay > 0)) {
  const hidden = latest(trial).filter((r) => r.kind === 'dense' && r.K !== null && Math.min(r.rows, r.cols) > r.K && num(r.sampleBound) !== null);
  if (hidden.length < 2) continue;
  compared++;
  if (orderOf(hidden.map((r) => r.sampleBound!)) === orderOf(hidden.map((r) => r.tailK!))) sameOrder++;
}
console.log(`\nLayer order by Σ‖δ_i‖‖e_i‖/N equals the order by τ_K in ${sameOrder} of ${compared} trials.`);

if (torchFile) {
  const torch = readFileSync(torchFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
  const torchLambdas = [...new Set(torch.map((r) => Number(r.weightDecay)))].sort((a, b) => a - b);
  console.log('\n### Side by side: this toolkit vs PyTorch (mean ± sd over seeds)\n');
  console.log('| λ | layer | rank (toolkit) | rank (PyTorch) | τ_K/‖W‖ (toolkit) | τ_K/‖W‖ (PyTorch) | ‖R‖/‖W‖ (toolkit) | ‖R‖/‖W‖ (PyTorch) | test acc (toolkit / PyTorch) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const lambda of torchLambdas) {
    const ours = lambdas.find((l) => Math.abs(l - lambda) <= 1e-9 * lambda);
    for (const layer of layers) {
      const items = ours === undefined ? [] : rowsAt(ours, layer);
      const theirs = torch.filter((r) => Math.abs(Number(r.weightDecay) - lambda) <= 1e-9 * lambda && r.layer === layer);
      const t = (f: string) => theirs.map((r) => Number(r[f]));
      const acc =
        layer === layers[0]
          ? `${pm(values(items, (_r, tr) => num(tr.epochs[tr.epochs.length - 1]?.testAccuracy)), (x) => x.toFixed(4))} / ${pm(t('testAccuracy'), (x) => x.toFixed(4))}`
          : '';
      console.log(
        `| ${g(lambda)} | ${layer} | ${pm(values(items, (r) => num(r.numericalRank)), (x) => x.toFixed(1))} | ${pm(t('numericalRank'), (x) => x.toFixed(1))} | ` +
          `${pm(values(items, (r) => num(r.relativeTailK)))} | ${pm(t('relativeTailK'))} | ${pm(values(items, (r) => num(r.relativeNormR)))} | ${pm(t('relativeNormR'))} | ${acc} |`,
      );
    }
  }
}
