/**
 * The executable under a real SIGINT: a running sweep stops at the next group of steps, exits with 130 and
 * keeps what it finished; rerunning the same command resumes the trial and completes it.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openSweepStore } from '@rank-collapse/sweep';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './__fixtures__/run-captured.js';
import { EXIT_CODES } from './exit-codes.js';
import { MALLOC_ENV } from './malloc-env.js';
import type { SweepJson } from './commands/sweep-command.js';

const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
// tsx's loader by path: the child runs in a temporary folder, where a bare `--import tsx` would not resolve.
const tsx = createRequire(import.meta.url).resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-sigint-'));
// One trial of the tiny sweep, long enough to be interrupted (600 epochs of 4 steps, several seconds),
// checkpointed every epoch.
const EPOCHS = 600;
const sweep = readFileSync(new URL('./__fixtures__/tiny-sweep.yaml', import.meta.url), 'utf8')
  .replace('epochs: 3', `epochs: ${EPOCHS}`)
  .replace('hidden: [16, 16]', 'hidden: [64, 64]')
  .replace('weightDecay: [0, 1e-3]', 'weightDecay: [1e-3]')
  .replace('checkpoints: [0, 3]', `checkpoints: [${EPOCHS}]`);

/**
 * Runs `rank-collapse` as its own process (node + tsx, as the workspace script does) and sends SIGINT `delayMs`
 * after `ready` matched its stderr (non-TTY runs print no per-epoch lines; the delay lets training get going).
 */
function runInterrupted(args: readonly string[], ready: RegExp, delayMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', pathToFileURL(tsx).href, bin, ...args], { cwd: dir, env: { ...process.env, ...MALLOC_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && ready.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('rank-collapse under SIGINT', () => {
  it('exits with 130 after the running steps, and a rerun resumes the trial to the end', async () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(file, sweep);
    const out = join(dir, 'out');
    const args = ['sweep', file, '--out', out, '--workers', '1', '--checkpoint-every', '1', '--no-report'];
    const stopped = await runInterrupted(args, /λ = 0\.001/, 1500);
    expect(stopped.stderr).toMatch(/SIGINT received, stopping after the running group of steps/);
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(EXIT_CODES.interrupted);

    const store = openSweepStore(join(out, 'sweep.sqlite'), { readonly: true });
    const [trial] = store.listTrials();
    const kept = store.epochs(trial.key).length;
    store.close();
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(EPOCHS);

    const rerun = await runCaptured([...args, '--json'], dir);
    expect(rerun.code).toBe(EXIT_CODES.ok);
    const summary = JSON.parse(rerun.stdout) as SweepJson;
    expect(summary.trials.map((t) => [t.status, t.epochs])).toEqual([['done', EPOCHS]]);
    expect(rerun.stderr).toMatch(/resuming from epoch \d+/);
  }, 120_000);
});
