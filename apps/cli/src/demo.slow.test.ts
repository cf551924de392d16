/**
 * The README's main job end to end: `sweep --preset demo`, timed. Slow (minutes), so it runs only with
 * RANK_COLLAPSE_SLOW=1: `RANK_COLLAPSE_SLOW=1 pnpm exec vitest run src/demo.slow.test.ts`.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSweepStore } from '@rank-collapse/sweep';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './__fixtures__/run-captured.js';
import type { SweepJson } from './commands/sweep-command.js';

describe.skipIf(!process.env.RANK_COLLAPSE_SLOW)('demo preset (slow)', () => {
  it('finishes within 10 minutes, every trial done, deeper layers collapse as λ grows, report written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rank-collapse-demo-'));
    const started = performance.now();
    const { code, stdout } = await runCaptured(['sweep', '--preset', 'demo', '--out', out, '--json']);
    const seconds = (performance.now() - started) / 1000;
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(600);
    const summary = JSON.parse(stdout) as SweepJson;
    expect(summary.counts.done).toBe(6);
    expect(existsSync(summary.report!)).toBe(true);
    const store = openSweepStore(summary.store, { readonly: true });
    try {
      // Relative tail τ_K/‖W‖_F of the third hidden layer at the end, in λ order.
      const tails = summary.trials.map((t) => store.layers(t.key).find((row) => row.epoch === 60 && row.layer === 'dense3')!.relativeTailK as number);
      expect(tails[5]).toBeLessThan(tails[0] / 10);
      expect(summary.trials[0].trainAccuracy).toBeGreaterThan(0.999);
    } finally {
      store.close();
    }
  }, 900_000);
});
