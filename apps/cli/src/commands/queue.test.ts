import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSweepStore } from '@rank-collapse/sweep';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startLocalRedis } from '../__fixtures__/local-redis.js';
import { runCaptured } from '../__fixtures__/run-captured.js';
import { runCli } from '../run-cli.js';
import type { SweepJson } from './sweep-command.js';

const PASSWORD = 'queue-secret-7d1e';
const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-queue-'));

describe.skipIf(redisMissing())('sweep --queue with a `worker` (real redis-server on 127.0.0.1)', () => {
  let redis: Awaited<ReturnType<typeof startLocalRedis>>;
  beforeAll(async () => {
    redis = await startLocalRedis(PASSWORD);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('the worker runs the trials, the results land in the sweep store, and the password never shows', async () => {
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, readFileSync(new URL('../__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8').replace('name: tiny\n', 'name: tiny-queue\n'));
    const stop = new AbortController();
    let workerLog = '';
    const worker = runCli(['worker', '--queue', redis.url], { stdout: () => {}, stderr: (t) => void (workerLog += t), cwd: dir, isTTY: false, signal: stop.signal });
    const sweep = await runCaptured(['sweep', file, '--queue', redis.url, '--out', join(dir, 'out'), '--json', '--no-report'], dir);
    stop.abort();
    expect(await worker).toBe(0);
    expect(sweep.code).toBe(0);
    const summary = JSON.parse(sweep.stdout) as SweepJson;
    expect(summary.counts.done).toBe(2);
    const store = openSweepStore(summary.store, { readonly: true });
    try {
      for (const trial of summary.trials) {
        expect(store.epochs(trial.key).map((e) => e.epoch)).toEqual([1, 2, 3]);
        expect(new Set(store.layers(trial.key).map((l) => l.epoch))).toEqual(new Set([0, 3]));
      }
    } finally {
      store.close();
    }
    expect(workerLog).toMatch(/takes trials from queue/);
    for (const output of [workerLog, sweep.stderr, sweep.stdout]) expect(output).not.toContain(PASSWORD);
  });
});
