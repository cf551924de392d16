import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import type { BackendChoice } from '../backends/backend-factories.js';
import type { TrialSummary } from '../format/trial-summary.js';
import { backendOption, positiveInteger, stepsPerRunOption, threadsOption } from './common-options.js';
import type { CommandContext } from './command-context.js';

/** Parsed flags of `sweep`. */
export interface SweepFlags {
  preset?: string;
  listPresets?: boolean;
  out?: string;
  workers: number;
  queue?: string;
  backend?: BackendChoice;
  threads?: number;
  stepsPerRun?: number;
  checkpointEvery: number;
  retryFailed?: boolean;
  append?: boolean;
  report: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** The `sweep --json` document. */
export interface SweepJson {
  format: 'rank-collapse-sweep/1';
  name: string;
  store: string;
  report: string | null;
  interrupted: boolean;
  counts: Record<string, number>;
  durationMs: number;
  trials: TrialSummary[];
}

/** `rank-collapse sweep <file | --preset NAME>`: trains, analyzes and stores every trial of a grid; resumable. */
export function registerSweepCommand(program: Command, context: CommandContext): void {
  program
    .command('sweep')
    .description('run every trial of a sweep file (train, analyze at checkpoints, store), then write the report; rerun to resume')
    .argument('[file]', 'sweep file (YAML or JSON)')
    .option('--preset <name>', 'run a preset shipped with the command instead of a file (see --list-presets)')
    .option('--list-presets', 'list the presets and exit')
    .option('--out <dir>', 'output folder: sweep.sqlite and report/ (default runs/<sweep name>)')
    .addOption(new Option('--workers <n>', 'local worker processes, each with its own backend; 1 runs trials in this process').argParser(positiveInteger('--workers')).default(availableParallelism(), 'one per core'))
    .option('--queue <redis-url>', 'enqueue the trials on a Redis queue for `rank-collapse worker` processes (redis://…, rediss://…)')
    .addOption(backendOption().default(undefined, 'the file\'s `backend`, else auto'))
    .addOption(threadsOption())
    .addOption(stepsPerRunOption())
    .option('--checkpoint-every <n>', 'save a training checkpoint every n epochs (resumption granularity)', positiveInteger('--checkpoint-every'), 5)
    .option('--retry-failed', 'run trials that failed in an earlier run again')
    .option('--append', 'allow a store that already holds sweeps of other names (a store belongs to one sweep otherwise)')
    .option('--no-report', 'do not write the HTML report')
    .option('--json', 'print a JSON summary (format rank-collapse-sweep/1) instead of a table')
    .option('--quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Output: <out>/sweep.sqlite (every epoch, layer row, spectrum and checkpoint) and <out>/report/index.html.
Killing the command loses at most the epochs since the last checkpoint: rerun the same command to resume.
Exit codes: 0 all trials done, 2 invalid sweep file (each problem with file:line:column and field),
3 some trials failed or diverged, 4 no backend can run, 130 interrupted.

Examples:
  rank-collapse sweep --preset demo
  rank-collapse sweep my-sweep.yaml --out runs/mine --workers 1   # in this process
  rank-collapse sweep my-sweep.yaml --queue redis://127.0.0.1:6379   # then: rank-collapse worker --queue …`,
    )
    .action(async (file: string | undefined, flags: SweepFlags) => (await import('./sweep-action.js')).runSweepCommand(context, file, flags));
}
