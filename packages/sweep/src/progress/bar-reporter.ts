/** Progress bars for a terminal: one for the sweep (with ETA) and one per running trial. */
import cliProgress from 'cli-progress';
import { formatDuration } from './format-duration.js';
import { SweepProgress, trialLabel } from './sweep-progress.js';
import type { SweepReporter } from './sweep-reporter.js';

/** Options of {@link createBarReporter}. */
export interface BarReporterOptions {
  /** A TTY stream. Default `process.stderr`. */
  stream?: NodeJS.WritableStream;
  /** Clock in ms (tests). Default `performance.now`. */
  now?: () => number;
}

const BAR_WIDTH = 24;

/** Creates a reporter drawing bars with cli-progress; log lines are printed above the bars. */
export function createBarReporter(options: BarReporterOptions = {}): SweepReporter {
  const stream = options.stream ?? process.stderr;
  const state = new SweepProgress(options.now ?? (() => performance.now()));
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: '{label} {bar} {status}',
      barsize: BAR_WIDTH,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      // Trials often run for minutes: redraw on every update, not only at the frame rate.
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let sweepBar: cliProgress.SingleBar | undefined;
  let name = '';
  const bars = new Map<string, cliProgress.SingleBar>();
  const sweepStatus = (): string => {
    const eta = state.etaMs();
    return `${state.finished}/${state.todo} trials | ${formatDuration(state.elapsedMs())} elapsed | ETA ${eta === undefined ? '…' : formatDuration(eta)}`;
  };
  const updateSweep = (): void => sweepBar?.update(Math.round(state.done * 1000), { label: `sweep ${name}`, status: sweepStatus() });

  return {
    sweepStarted(info) {
      state.start(info.total, info.finished);
      name = info.name;
      const skipped = info.finished > 0 ? ` (${info.finished} already finished)` : '';
      multibar.log(`sweep ${info.name}: ${info.total} trials${skipped} on ${info.executor}\n`);
      sweepBar = multibar.create(Math.max(1, state.todo) * 1000, 0, { label: `sweep ${name}`, status: sweepStatus() });
    },
    trialStarted(trial, info) {
      state.trialStarted(trial);
      const resume = info.resumeEpoch === undefined ? '' : ` from epoch ${info.resumeEpoch}`;
      bars.set(trial.key, multibar.create(1000, 0, { label: `[${trial.index}] ${trialLabel(trial)}`, status: `starting${resume}` }));
    },
    trialProgress(trial, progress) {
      const fraction = state.trialProgress(trial, progress);
      const metrics = Object.entries(progress.metrics ?? {})
        .map(([key, value]) => ` ${key} ${value.toPrecision(4)}`)
        .join('');
      bars.get(trial.key)?.update(Math.round(fraction * 1000), { status: `epoch ${progress.epoch}${progress.epochs ? `/${progress.epochs}` : ''}${metrics}` });
      updateSweep();
    },
    trialFinished(trial, result) {
      state.trialFinished(trial);
      const bar = bars.get(trial.key);
      if (bar) multibar.remove(bar);
      bars.delete(trial.key);
      const detail = result.error ? `: ${result.error}` : '';
      multibar.log(`[${trial.index}] ${trialLabel(trial)} ${result.status} in ${formatDuration(result.durationMs)}${detail}\n`);
      updateSweep();
    },
    log(message) {
      multibar.log(`${message}\n`);
    },
    sweepFinished(summary) {
      updateSweep();
      // stop() does not print buffered log lines: draw once more to flush them.
      (multibar as unknown as { update(): void }).update();
      multibar.stop();
      const counts = Object.entries(summary.counts)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');
      stream.write(`sweep ${summary.name} ${summary.interrupted ? 'stopped' : 'finished'} after ${formatDuration(summary.durationMs)}: ${counts || 'no trials'}\n`);
    },
  };
}
