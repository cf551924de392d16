/**
 * The playground in a real browser: headless Chromium loads the built app from a 127.0.0.1 static server, trains
 * two runs (λ = 0 and λ = 1e-2) and the test reads the page's own state (`window.playground`). Also: the numbers
 * the page shows equal those of the Node packages (train + analyze on tfjs cpu) for the same config, and every
 * backend the browser offers trains and agrees. Skipped, with the reason printed, where Chromium is missing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze } from '@rank-collapse/analysis';
import { createTfjsBackend, loadTfjs } from '@rank-collapse/backend-tfjs';
import { balancedSubset, loadMnist } from '@rank-collapse/datasets';
import { buildModel } from '@rank-collapse/models';
import { train } from '@rank-collapse/training';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground, type BuiltPlayground } from '../scripts/build-playground.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import { CHROMIUM, chromiumAvailable, launchChromium, openPage, waitForRuns } from './browser-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/playground');
const available = chromiumAvailable();
if (!available) console.log(`playground browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

type PageState = Window['playground'];
type Run = PageState['runs'][number];
const readState = (page: import('playwright-core').Page): Promise<PageState> => page.evaluate(() => JSON.parse(JSON.stringify(window.playground)) as PageState);
const last = (run: Run) => run.snapshots[run.snapshots.length - 1];

/** |a − b| ≤ tol·max(1, |b|). */
const close = (a: number | null, b: number | null, tol: number, what: string): void => {
  if (a === null || b === null) {
    expect(a, what).toBe(b);
    return;
  }
  expect(Math.abs(a - b), `${what}: page ${a}, node ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
};

describe.skipIf(!available)('the playground in headless Chromium', () => {
  let work: string;
  let built: BuiltPlayground;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'playground-browser-'));
    built = await buildPlayground({ outDir: join(work, 'dist') });
    server = await startStaticServer(built.outDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the deeper layers collapsing at λ = 1e-2 and not at λ = 0, with every chart drawn, no error and no request beyond its own files', async () => {
    const { page, errors, requests } = await openPage(browser, `${server.url}?backend=wasm&steps=300&every=100&lambdaA=0&lambdaB=0.01`);
    await waitForRuns(page);
    const state = await readState(page);
    expect(state.runs.map((r) => [r.status, r.error, r.config.weightDecay, r.config.backend])).toEqual([['done', null, 0, 'wasm'], ['done', null, 0.01, 'wasm']]);
    const [plain, decayed] = state.runs.map(last);
    expect([plain.step, decayed.step]).toEqual([300, 300]);
    expect(plain.layers.map((l) => l.layer)).toEqual(['dense1', 'dense2', 'dense3', 'dense4']);
    // The deeper hidden layers: τ_K/‖W‖_F well below the λ = 0 run's (measured ≈ 0.15–0.18 vs ≈ 0.8).
    for (const l of [1, 2]) {
      expect(decayed.layers[l].relativeTailK, plain.layers[l].layer).toBeLessThan(0.5 * plain.layers[l].relativeTailK);
      expect(decayed.layers[l].relativeTailK).toBeLessThan(0.4);
    }
    expect(plain.layers[1].relativeTailK).toBeGreaterThan(0.6);
    expect(plain.trainAccuracy).toBeGreaterThan(0.9);
    expect(decayed.trainAccuracy).toBeGreaterThan(0.9);
    // The certificate chain the page shows, for every dense layer of the λ > 0 run: τ_K ≤ ‖W P⊥‖ ≤ ‖E P⊥‖ + ‖R P⊥‖ ≤ ‖E‖ + ‖R‖.
    for (const layer of decayed.layers) {
      const slack = 1 + 1e-9;
      expect(layer.tailK).toBeLessThanOrEqual(layer.offSpanW! * slack);
      expect(layer.offSpanW!).toBeLessThanOrEqual((layer.offSpanE! + layer.offSpanR!) * slack);
      expect(layer.offSpanE! + layer.offSpanR!).toBeLessThanOrEqual(layer.boundER! * slack);
    }
    expect(plain.layers.every((l) => l.boundER === null)).toBe(true);
    expect(await page.locator('#cert-1 td.ok').count()).toBe(4);
    expect(await page.locator('#cert-1 td.bad').count()).toBe(0);

    await page.evaluate(() => new Promise(requestAnimationFrame));
    const charts = await page.$$eval('.chart', (elements) => elements.map((e) => ({ id: e.id, marks: Number(e.getAttribute('data-marks')), svg: e.querySelectorAll('svg .mark-line, svg .mark-point').length })));
    expect(charts).toHaveLength(10);
    for (const chart of charts) {
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.svg, chart.id).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    const own = new Set(built.files.map((f) => `${server.url}${f}`));
    expect(requests.filter((url) => !own.has(url) && url !== server.url && !url.startsWith(`${server.url}?`) && url !== 'data:,')).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });
    await page.context().close();
  }, 180_000);

  it('shows the same numbers as the Node packages (train + analyze on tfjs cpu) for the same config, within 1e-5', async () => {
    const config = { width: 32, depth: 2, batchSize: 50, lr: 0.1, momentum: 0.9, seed: 3, epochs: 2 };
    const { page, errors } = await openPage(browser, `${server.url}?backend=cpu&width=32&depth=2&batch=50&lr=0.1&seed=3&steps=80&every=40&lambdaA=0&lambdaB=0.01`);
    await waitForRuns(page);
    const state = await readState(page);
    expect(errors).toEqual([]);

    const { tf } = await loadTfjs({ prefer: ['cpu'] });
    const backend = createTfjsBackend({ tf });
    const mnist = loadMnist();
    const data = { train: balancedSubset(mnist.train, { perClass: 200, seed: 'playground' }), test: balancedSubset(mnist.test, { perClass: 50, seed: 'playground' }) };
    for (const run of state.runs) {
      const weightDecay = run.config.weightDecay;
      const model = buildModel({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [32, 32] });
      const node = await train({ backend, model, data, options: { ...config, weightDecay } });
      expect(node.status).toBe('done');
      expect(node.epochs.at(-1)!.steps).toBe(80);
      const nodeAnalysis = await analyze({ backend, graph: model.graph, params: node.params, data: data.train, weightDecay, singularValues: true });
      const shown = last(run);
      expect(shown.step).toBe(80);

      let maxParam = 0;
      for (const [name, t] of node.params) (t.data as Float32Array).forEach((v, i) => (maxParam = Math.max(maxParam, Math.abs(v - run.finalParams![name][i]))));
      expect(maxParam).toBeLessThanOrEqual(1e-5);
      console.log(`playground vs node, λ = ${weightDecay}: max |Δparam| ${maxParam}, σ_1 of dense1 ${last(run).layers[0].singularValues[0]} vs ${nodeAnalysis.rows[0].singularValues![0]}`);
      close(shown.trainAccuracy, nodeAnalysis.accuracy, 1e-5, 'train accuracy');
      close(shown.testAccuracy, node.epochs.at(-1)!.testAccuracy, 1e-5, 'test accuracy');
      close(shown.testLoss, node.epochs.at(-1)!.testLoss, 1e-5, 'test loss');
      nodeAnalysis.rows.forEach((row, l) => {
        const layer = shown.layers[l];
        const what = `λ=${weightDecay} ${row.layer}`;
        expect(layer.layer).toBe(row.layer);
        expect(layer.singularValues).toHaveLength(row.singularValues!.length);
        layer.singularValues.forEach((s, j) => close(s, row.singularValues![j], 1e-5, `${what} σ_${j + 1}`));
        for (const field of ['frobeniusNorm', 'tailK', 'relativeTailK', 'numericalRank', 'stableRank', 'inputScaleFreeTcv', 'inputNc1', 'offSpanW', 'offSpanE', 'offSpanR', 'normE', 'normR', 'boundER', 'slack'] as const) {
          close(layer[field] as number | null, (row as unknown as Record<string, number | null>)[field], 1e-5, `${what} ${field}`);
        }
      });
      if (weightDecay > 0) expect(shown.layers[1].boundER).not.toBeNull();
    }
    await page.context().close();
  }, 180_000);

  it('trains on every backend the browser offers and they agree', async () => {
    const { page, errors } = await openPage(browser, `${server.url}?backend=cpu&width=32&depth=2&batch=50&seed=3&steps=1&every=1&autostart=0`);
    await page.waitForSelector('body[data-ready]');
    await page.click('#compare');
    await page.waitForFunction(() => window.playground.comparisons.length > 0 && !window.playground.comparing, null, { timeout: 150_000, polling: 250 });
    const state = await readState(page);
    const done = state.comparisons.filter((c) => c.status === 'done');
    console.log(`playground backends: ${state.comparisons.map((c) => `${c.backend} ${c.status}${c.stepsPerSecond ? ` ${c.stepsPerSecond.toFixed(1)} steps/s` : ''}${c.maxParamDifference !== null ? `, max |ΔW| ${c.maxParamDifference.toExponential(1)}` : ''}`).join('; ')}`);
    expect(done.map((c) => c.backend)).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    expect(state.comparisons.filter((c) => c.status === 'error')).toEqual([]);
    const cpu = state.comparisons[0];
    expect(cpu.backend).toBe('cpu');
    for (const c of done) {
      expect(c.stepsPerSecond, c.backend).toBeGreaterThan(0);
      expect(c.final!.step).toBe(80);
      expect(c.maxParamDifference!, c.backend).toBeLessThan(1e-3);
      c.final!.layers.forEach((l, i) => expect(Math.abs(l.relativeTailK - cpu.final!.layers[i].relativeTailK), `${c.backend} ${l.layer}`).toBeLessThan(1e-3));
    }
    expect(await page.locator('table.comparison tbody tr').count()).toBe(4);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);
});
