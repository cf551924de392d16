/**
 * The report in a real browser: headless Chromium (Debian's package) driven by playwright-core opens the
 * report from disk and checks what a reader would see. Skipped, with the reason printed, where Chromium is not
 * installed (CI installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReportData } from './__fixtures__/synthetic-report-data.js';
import { buildReport, type BuiltReport } from './build-report.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/report');
const PAYLOAD = '</script><img src=x onerror="window.__xss=1">';
const available = existsSync(CHROMIUM);
if (!available) console.log(`report browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  let work: string;
  let context: BrowserContext;
  let report: BuiltReport;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'report-browser-'));
    const data = syntheticReportData({ statuses: ['done', 'done', 'done', 'done', 'done', 'done', 'running', 'queued'], labels: [PAYLOAD] });
    report = await buildReport({ data, outDir: join(work, 'out'), title: `Browser test ${PAYLOAD}` });
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1300, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('renders every chart with marks, without console errors or network requests, and shows tooltips', async () => {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') || !request.url().endsWith('/index.html')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(report.html).href);
    await page.waitForSelector('body[data-charts-done]', { timeout: 60_000 });

    const charts = await page.$$eval('.chart', (elements) =>
      elements.map((element) => ({
        id: element.id,
        rendered: element.getAttribute('data-rendered'),
        marks: element.querySelectorAll('svg .mark-symbol path, svg .mark-line path, svg .mark-rule line').length,
      })),
    );
    expect(charts.map((c) => c.id)).toEqual(report.figures.map((f) => `fig-${f.id}`));
    for (const chart of charts) {
      expect(chart.rendered, chart.id).toBe('true');
      expect(chart.marks, chart.id).toBeGreaterThan(0);
    }
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);

    // The injected label stayed text.
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.$$eval('img', (images) => images.length)).toBe(0);
    expect(await page.textContent('h1')).toBe(`Browser test ${PAYLOAD}`);
    expect(await page.isVisible('#partial-banner')).toBe(true);

    // Hovering a point of the rank figure shows its tooltip.
    const point = page.locator('#fig-numerical-rank svg .mark-symbol path').first();
    await point.scrollIntoViewIfNeeded();
    const box = await point.boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const tooltip = page.locator('#vg-tooltip-element');
    await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
    const text = await tooltip.textContent();
    expect(text).toContain('numerical rank');
    expect(text).toContain('λ');

    // Clicking a legend entry dims the other layers' points.
    // Vega handles events on its root <svg>, so click at the symbol's position rather than on the element.
    const legendBox = await page.locator('#fig-numerical-rank svg .role-legend-symbol path').first().boundingBox();
    expect(legendBox).not.toBeNull();
    await page.mouse.click(legendBox!.x + legendBox!.width / 2, legendBox!.y + legendBox!.height / 2);
    await page.waitForTimeout(200);
    const opacities = await page.$$eval('#fig-numerical-rank svg .mark-symbol path', (paths) => paths.map((p) => Number(p.getAttribute('opacity') ?? '1')));
    expect(opacities.some((o) => o < 0.5)).toBe(true);
    expect(opacities.some((o) => o === 1)).toBe(true);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  }, 120_000);
});
