import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { registerAnalyzeCommand } from './commands/analyze-command.js';
import { registerBackendsCommand } from './commands/backends-command.js';
import type { CommandContext } from './commands/command-context.js';
import { registerCompressCommand } from './commands/compress-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerReportCommand } from './commands/report-command.js';
import { registerSweepCommand } from './commands/sweep-command.js';
import { registerTrainCommand } from './commands/train-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';
import type { ExitCode } from './exit-codes.js';

/**
 * Builds the `rank-collapse` program on an io (commander throws instead of exiting; `runCli` maps that to an
 * exit code). `exitCode` collects the code an action asks for without throwing.
 */
export function createProgram(io: CliIo): { program: Command; exitCode: () => ExitCode | undefined } {
  let code: ExitCode | undefined;
  const context: CommandContext = { io, setExitCode: (c) => (code = c) };
  const program = new Command('rank-collapse')
    .description('Train networks with weight decay, measure how their weight matrices collapse toward low rank, and explain it by the within-class variability of each layer\'s input.')
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
  for (const register of [
    registerSweepCommand,
    registerWorkerCommand,
    registerTrainCommand,
    registerAnalyzeCommand,
    registerCompressCommand,
    registerReportCommand,
    registerExportCommand,
    registerBackendsCommand,
  ]) {
    register(program, context);
  }
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(add --help for usage)');
  return { program, exitCode: () => code };
}
