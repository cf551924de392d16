/** The README's example, run as written: its code block with the store moved to a temporary folder. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSweepStore } from '@rank-collapse/sweep';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
const dir = mkdtempSync(join(tmpdir(), 'experiment-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README example', () => {
  it('runs a two-λ experiment in about ten lines and keeps its rows in the store', { timeout: 300_000 }, async () => {
    expect(example.trim().split('\n').length).toBeLessThanOrEqual(14);
    const store = join(dir, 'two-lambdas.sqlite');
    // The packages resolve to their sources (as in every test here); only the store path changes.
    const code = example
      .replace("'runs/two-lambdas.sqlite'", JSON.stringify(store))
      .replace("'@rank-collapse/experiment'", JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url))))
      .replace("'@rank-collapse/backend/reference'", JSON.stringify(fileURLToPath(import.meta.resolve('@rank-collapse/backend/reference'))));
    expect(code).toContain(store);
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    const lines: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    // One line per λ: the weight decay, the numerical rank of each of the three layers after training, the accuracy at rank K.
    expect(lines.map((line) => line[0])).toEqual([0, 1e-3]);
    for (const [, ranks, accuracy] of lines) {
      expect(ranks).toHaveLength(3);
      for (const rank of ranks as number[]) expect(rank).toBeGreaterThanOrEqual(1);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }
    const stored = openSweepStore(store, { readonly: true });
    try {
      const trials = stored.trials();
      expect(trials.map((t) => [t.axes.weightDecay, t.status])).toEqual([
        [0, 'done'],
        [1e-3, 'done'],
      ]);
      for (const trial of trials) {
        expect(stored.epochs(trial.key).map((e) => e.epoch)).toEqual([1, 2]);
        expect(stored.layers(trial.key).map((r) => `${r.epoch}:${r.layer}`)).toEqual(['0:dense1', '0:dense2', '0:dense3', '2:dense1', '2:dense2', '2:dense3']);
        expect(stored.compression(trial.key).map((c) => [c.label, c.choice])).toEqual([['rank=K', { rank: 10 }]]);
      }
      // λ enters the certificate: the terms exist for λ > 0 only.
      expect(stored.layers(trials[0].key)[3].normE).toBeNull();
      expect(stored.layers(trials[1].key)[3].normE).toBeTypeOf('number');
    } finally {
      stored.close();
    }
  });
});
