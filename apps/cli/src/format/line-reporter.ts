import type { SweepReporter } from '@rank-collapse/sweep';
import { formatNumber } from './format-number.js';

const axesLabel = (axes: Record<string, unknown>): string =>
  Object.entries(axes)
    .map(([name, value]) => `${name}=${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)}`)
    .join(' ') || 'base config';

const seconds = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/**
 * A sweep reporter writing one plain line per event (trial started/finished, every `every`-th epoch, logs),
 * for pipes, CI logs and terminals alike. Epoch lines carry the headline metrics the trial reports.
 */
export function createLineReporter(write: (line: string) => void, options: { every?: number; verbose?: boolean } = {}): SweepReporter {
  const every = options.every ?? 10;
  const started = performance.now();
  let total = 0;
  let finished = 0;
  const elapsed = (): string => seconds(performance.now() - started);
  return {
    sweepStarted(info) {
      total = info.total;
      finished = info.finished;
      write(`sweep ${info.name}: ${info.total} trial(s), ${info.finished} already finished; ${info.executor}`);
    },
    trialStarted(trial, info) {
      const resume = info.resumeEpoch ? `, resuming from epoch ${info.resumeEpoch}` : '';
      write(`[${trial.index}] start ${axesLabel(trial.axes)} (attempt ${info.attempt}${resume})`);
    },
    trialProgress(trial, progress) {
      if (progress.epoch % every !== 0 && progress.epoch !== progress.epochs) return;
      const metrics = Object.entries(progress.metrics ?? {})
        .map(([name, value]) => `${name} ${formatNumber(value)}`)
        .join(', ');
      write(`[${trial.index}] epoch ${progress.epoch}${progress.epochs ? `/${progress.epochs}` : ''}${metrics ? `: ${metrics}` : ''}`);
    },
    trialFinished(trial, result) {
      finished += 1;
      const error = result.error ? `: ${result.error}` : '';
      write(`[${trial.index}] ${result.status} in ${seconds(result.durationMs)}${error} (${finished}/${total} finished, ${elapsed()} elapsed)`);
    },
    log(message) {
      if (options.verbose !== false) write(message);
    },
    sweepFinished(summary) {
      const counts = Object.entries(summary.counts)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');
      write(`sweep ${summary.name} ${summary.interrupted ? 'stopped' : 'finished'} in ${seconds(summary.durationMs)}: ${counts}`);
    },
  };
}
