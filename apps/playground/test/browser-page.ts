/** Opens the built playground in headless Chromium (Debian's package, driven by playwright-core); shared by tests and scripts. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page and its workers. */
  readonly errors: string[];
  /** Every URL requested, workers included. */
  readonly requests: string[];
}

/** Opens `url` and records errors and requests from the first moment. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  context.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => worker.on('console', (message) => message.type() === 'error' && errors.push(`worker: ${message.text()}`)));
  await page.goto(url);
  return { page, errors, requests };
}

/** Waits until both runs of the page ended. */
export const waitForRuns = (page: Page, timeout = 120_000): Promise<unknown> => page.waitForFunction(() => window.playground?.finished === true, null, { timeout, polling: 250 });
