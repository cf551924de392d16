/** Plain-line progress for logs, CI and pipes: one line per event, progress lines throttled per trial. */
import { formatDuration } from './format-duration.js';
import { SweepProgress, trialLabel } from './sweep-progress.js';
import type { SweepReporter } from './sweep-reporter.js';

/** Options of {@link createLineReporter}. */
export interface LineReporterOptions {
  /** Default `process.stderr`. */
  stream?: { write(text: string): unknown };
  /** Minimum ms between two progress lines of the same trial. Default 10 000. */
  progressIntervalMs?: number;
  /** Clock in ms (tests). Default `performance.now`. */
  now?: () => number;
}

/** Creates a reporter that writes plain lines (no cursor movement), suited to non-TTY output. */
export function createLineReporter(options: LineReporterOptions = {}): SweepReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.progressIntervalMs ?? 10_000;
  const state = new SweepProgress(now);
  const lastLine = new Map<string, number>();
  const write = (line: string): void => void stream.write(`${line}\n`);
  const position = (): string => {
    const eta = state.etaMs();
    return `${state.finished}/${state.todo}${eta === undefined ? '' : `, ETA ${formatDuration(eta)}`}`;
  };
  return {
    sweepStarted(info) {
      state.start(info.total, info.finished);
      const skipped = info.finished > 0 ? `, ${info.finished} already finished` : '';
      write(`sweep ${info.name}: ${info.total} trials${skipped}; running ${info.total - info.finished} on ${info.executor}`);
    },
    trialStarted(trial, info) {
      state.trialStarted(trial);
      lastLine.set(trial.key, now());
      const resume = info.resumeEpoch === undefined ? '' : `, resuming after epoch ${info.resumeEpoch}`;
      const attempt = info.attempt > 1 ? `attempt ${info.attempt}, ` : '';
      write(`[${trial.index}] start ${trialLabel(trial)} (${attempt}${info.worker}${resume})`);
    },
    trialProgress(trial, progress) {
      state.trialProgress(trial, progress);
      const at = now();
      if (at - (lastLine.get(trial.key) ?? -Infinity) < interval) return;
      lastLine.set(trial.key, at);
      const metrics = Object.entries(progress.metrics ?? {})
        .map(([name, value]) => ` ${name}=${value.toPrecision(4)}`)
        .join('');
      write(`[${trial.index}] epoch ${progress.epoch}${progress.epochs ? `/${progress.epochs}` : ''}${metrics}`);
    },
    trialFinished(trial, result) {
      state.trialFinished(trial);
      lastLine.delete(trial.key);
      const detail = result.error ? `: ${result.error}` : '';
      write(`[${trial.index}] ${result.status} in ${formatDuration(result.durationMs)}${detail} (${position()})`);
    },
    log(message) {
      write(message);
    },
    sweepFinished(summary) {
      const counts = Object.entries(summary.counts)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');
      const stopped = summary.interrupted ? 'stopped' : 'finished';
      write(`sweep ${summary.name} ${stopped} after ${formatDuration(summary.durationMs)}: ${counts || 'no trials'}`);
    },
  };
}
