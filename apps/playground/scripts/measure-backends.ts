/**
 * Steps per second of every backend in this machine's Chromium, at the page's default config (or the address
 * parameters given as the first argument, e.g. "width=64&depth=2"): builds the app into a temporary folder,
 * opens it headless and presses "Compare backends". Run: pnpm --filter @rank-collapse/playground measure
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, openPage } from '../test/browser-page.ts';
import { buildPlayground } from './build-playground.ts';
import { startStaticServer } from './static-server.ts';

const work = mkdtempSync(join(tmpdir(), 'playground-measure-'));
const built = await buildPlayground({ outDir: join(work, 'dist') });
const server = await startStaticServer(built.outDir);
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, `${server.url}?autostart=0&${process.argv[2] ?? ''}`);
  await page.waitForSelector('body[data-ready]');
  await page.click('#compare');
  await page.waitForFunction(() => window.playground.comparisons.length > 0 && !window.playground.comparing, null, { timeout: 600_000, polling: 500 });
  const state = await page.evaluate(() => JSON.parse(JSON.stringify(window.playground)) as Window['playground']);
  const { base } = state.config;
  console.log(`config: ${base.dataset}, MLP ${base.depth}×${base.width}, batch ${base.batchSize}, λ ${state.config.weightDecays[0]}, 80 steps (the first 20 not timed)`);
  console.log(`chromium: ${await browser.version()}`);
  for (const c of state.comparisons) {
    const tails = c.final?.layers.map((l) => l.relativeTailK.toFixed(4)).join(' ') ?? '';
    console.log(`${c.backend.padEnd(7)} ${c.status.padEnd(12)} ${c.stepsPerSecond ? `${c.stepsPerSecond.toFixed(1)} steps/s` : ''}  ${c.maxParamDifference !== null ? `max |ΔW| vs cpu ${c.maxParamDifference.toExponential(1)}` : ''}  ${tails}  ${c.device}${c.error ? ` ${c.error}` : ''}`);
  }
  if (errors.length) console.log('errors:', errors);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
