import { createBarReporter } from './bar-reporter.js';
import { createLineReporter } from './line-reporter.js';
import type { SweepReporter } from './sweep-reporter.js';

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force bars (true) or plain lines (false). Default: bars when the stream is a TTY and CI is not set. */
  bars?: boolean;
}

/** Bars on an interactive terminal, plain lines otherwise (pipes, files, CI logs). */
export function createProgressReporter(options: ProgressReporterOptions = {}): SweepReporter {
  const stream = options.stream ?? process.stderr;
  const bars = options.bars ?? (Boolean(stream.isTTY) && !process.env.CI);
  return bars ? createBarReporter({ stream }) : createLineReporter({ stream });
}
