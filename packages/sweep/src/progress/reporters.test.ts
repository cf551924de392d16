import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLineReporter } from './line-reporter.js';
import { createBarReporter } from './bar-reporter.js';
import { createProgressReporter } from './create-progress-reporter.js';
import { formatDuration } from './format-duration.js';
import { smallSweep } from '../__fixtures__/small-sweep.js';

const trials = smallSweep().trials;
const counts = { queued: 0, running: 0, done: 3, failed: 1, diverged: 0 };

describe('formatDuration', () => {
  it('is short and readable', () => {
    expect([4200, 65_000, 3_725_000, -1].map(formatDuration)).toEqual(['4.2 s', '1m 5s', '1h 2m', '?']);
  });
});

describe('createLineReporter', () => {
  it('writes one plain line per event with an ETA from the work done so far', () => {
    let clock = 0;
    const lines: string[] = [];
    const reporter = createLineReporter({ stream: { write: (text: string) => lines.push(text) }, now: () => clock, progressIntervalMs: 1000 });
    reporter.sweepStarted({ name: 'small', total: 6, finished: 2, executor: 'in-process' });
    reporter.trialStarted(trials[2], { attempt: 2, worker: 'h:1', resumeEpoch: 3 });
    clock = 500;
    reporter.trialProgress(trials[2], { epoch: 4, epochs: 6, metrics: { loss: 0.123456 } });
    clock = 1500;
    reporter.trialProgress(trials[2], { epoch: 5, epochs: 6, metrics: { loss: 0.1 } });
    clock = 10_000;
    reporter.trialFinished(trials[2], { status: 'failed', error: 'boom', durationMs: 9500 });
    reporter.sweepFinished({ name: 'small', total: 6, ran: 1, skipped: 2, counts, durationMs: 10_000, interrupted: false });
    expect(lines.join('')).toBe(
      [
        'sweep small: 6 trials, 2 already finished; running 4 on in-process',
        '[2] start weightDecay=0.01 seed=1 (attempt 2, h:1, resuming after epoch 3)',
        // The first progress line is throttled (500 ms after the start line), the second is not.
        '[2] epoch 5/6 loss=0.1000',
        // 1 of 4 trials in 10 s: 30 s left.
        '[2] failed in 9.5 s: boom (1/4, ETA 30 s)',
        'sweep small finished after 10 s: 3 done, 1 failed',
        '',
      ].join('\n'),
    );
  });
});

describe('createBarReporter', () => {
  it('draws a sweep bar with ETA and one bar per running trial on a TTY', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
    let output = '';
    stream.on('data', (chunk) => (output += chunk));
    let clock = 0;
    const reporter = createBarReporter({ stream, now: () => clock });
    reporter.sweepStarted({ name: 'small', total: 6, finished: 0, executor: '2 worker processes' });
    reporter.trialStarted(trials[0], { attempt: 1, worker: 'a' });
    reporter.trialStarted(trials[1], { attempt: 1, worker: 'b' });
    clock = 3000;
    reporter.trialProgress(trials[0], { epoch: 3, epochs: 6, metrics: { loss: 2.5 } });
    reporter.trialProgress(trials[1], { epoch: 3, epochs: 6 });
    // cli-progress redraws on its own timer (10 frames per second).
    await sleep(250);
    expect(output).toContain('[0] weightDecay=0 seed=1');
    expect(output).toContain('[1] weightDecay=0 seed=2');
    expect(output).toContain('epoch 3/6 loss 2.500');
    // One trial's worth of work in 3 s, 5 left.
    expect(output).toContain('0/6 trials | 3.0 s elapsed | ETA 15 s');
    expect(output).toMatch(/█+░+/);
    reporter.trialFinished(trials[0], { status: 'done', durationMs: 3000 });
    reporter.sweepFinished({ name: 'small', total: 6, ran: 2, skipped: 0, counts, durationMs: 4000, interrupted: true });
    expect(output).toContain('[0] weightDecay=0 seed=1 done in 3.0 s');
    expect(output).toContain('sweep small stopped after 4.0 s: 3 done, 1 failed');
  });
});

describe('createProgressReporter', () => {
  it('uses plain lines when the stream is not a TTY', () => {
    const stream = new PassThrough();
    let output = '';
    stream.on('data', (chunk) => (output += chunk));
    createProgressReporter({ stream }).log('hello');
    expect(output).toBe('hello\n');
  });
});
