import { createRequire } from 'node:module';
import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import type { CommandContext } from './commands/command-context.js';
import type { ExitCode } from './exit-codes.js';

type Register = (program: Command, context: CommandContext) => void;

/**
 * The commands, in help order. Each is loaded only when it runs (or its --help is asked for): a command's
 * module pulls in its runtimes (onnxruntime, TensorFlow.js, SQLite, vega), which `rank-collapse --help` must
 * not wait for. `summary` is the line the top-level help shows.
 */
export const COMMANDS: ReadonlyArray<{ name: string; args: string; summary: string; load: () => Promise<Register> }> = [
  { name: 'sweep', args: '[file]', summary: 'run every trial of a sweep file (train, analyze, store), then write the report; rerun to resume', load: async () => (await import('./commands/sweep-command.js')).registerSweepCommand },
  { name: 'worker', args: '', summary: 'run trials from a Redis queue filled by `sweep --queue`, until stopped', load: async () => (await import('./commands/worker-command.js')).registerWorkerCommand },
  { name: 'train', args: '[file]', summary: 'train one trial of a sweep file (no store); optionally export it as ONNX', load: async () => (await import('./commands/train-command.js')).registerTrainCommand },
  { name: 'analyze', args: '<model>', summary: 'rank and collapse metrics of the weight matrices of a model file, one row per layer', load: async () => (await import('./commands/analyze-command.js')).registerAnalyzeCommand },
  { name: 'compress', args: '<model>', summary: "replace every layer's W by its best rank-r approximation", load: async () => (await import('./commands/compress-command.js')).registerCompressCommand },
  { name: 'report', args: '<store>', summary: 'write the HTML report of a sweep store', load: async () => (await import('./commands/report-command.js')).registerReportCommand },
  { name: 'export', args: '<store>', summary: 'export a trained model (ONNX) or a table (CSV/JSONL) of a sweep store', load: async () => (await import('./commands/export-command.js')).registerExportCommand },
  { name: 'backends', args: '', summary: 'list the backends that can run here, and why the others cannot', load: async () => (await import('./commands/backends-command.js')).registerBackendsCommand },
];

/** The CLI's own version (package.json beside src/ and dist/). */
export const CLI_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/**
 * The command a command line runs (`analyze m.onnx` → analyze, `help sweep` → sweep), or undefined for the
 * top level (`--help`, `--version`, an unknown command).
 */
export function commandNamed(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.some((command) => command.name === name) ? name : undefined;
}

/**
 * Builds the `rank-collapse` program for the command line `args` on an io (commander throws instead of
 * exiting; `runCli` maps that to an exit code). The command `args` names is loaded in full; the others are
 * listed in the help only. `exitCode` collects the code an action asks for without throwing.
 * Pass `args` undefined to load every command (for tools that walk the whole program).
 */
export async function createProgram(io: CliIo, args?: readonly string[]): Promise<{ program: Command; exitCode: () => ExitCode | undefined }> {
  let code: ExitCode | undefined;
  const context: CommandContext = { io, setExitCode: (c) => (code = c) };
  const program = new Command('rank-collapse')
    .description('Train networks with weight decay, measure how their weight matrices collapse toward low rank, and explain it by the within-class variability of each layer\'s input.')
    .version(CLI_VERSION, '-V, --version', 'print the version of rank-collapse')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  rank-collapse sweep --preset demo                     the demo: 6 λ values, MLP on 10k MNIST, report
  rank-collapse sweep --list-presets
  rank-collapse analyze model.onnx --data mnist --json  per-layer rank and collapse metrics
  rank-collapse compress model.onnx --rank 10 --out small.onnx
  rank-collapse report runs/demo/sweep.sqlite
  rank-collapse backends                                what can run here, and why not

Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 some sweep trials failed or diverged,
4 no backend can run here, 130 interrupted (rerun a sweep to resume).`,
    );
  const wanted = args === undefined ? undefined : commandNamed(args);
  for (const command of COMMANDS) {
    if (args === undefined || command.name === wanted) {
      (await command.load())(program, context);
    } else {
      const stub = program.command(command.name).summary(command.summary);
      if (command.args) stub.argument(command.args);
    }
  }
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(add --help for usage)');
  return { program, exitCode: () => code };
}
