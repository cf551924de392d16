import { CommanderError } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { createProgram } from './program.js';

/**
 * Runs the command line `args` (without `node` and the script: e.g. `['analyze', 'm.onnx', '--json']`) and
 * resolves with the exit code. Never throws: errors are written to `io.stderr` as `rank-collapse: <message>`
 * (with the stack when RANK_COLLAPSE_DEBUG is set) and mapped to {@link EXIT_CODES}.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  try {
    const { program, exitCode } = await createProgram(io, args);
    await program.parseAsync([...args], { from: 'user' });
    return exitCode() ?? EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with exit code 0; commander already printed any parse error.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (io.signal?.aborted) return EXIT_CODES.interrupted;
    // Loaded here: telling library errors apart needs their classes, which --help should not wait for.
    const { errorMessageOf, exitCodeOf } = await import('./error-exit-code.js').catch(() => fallbackErrors);
    io.stderr(`rank-collapse: ${errorMessageOf(error)}\n`);
    if (process.env.RANK_COLLAPSE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}

/** Used only when the error classes cannot be loaded (a broken install): the message as is, exit code 1. */
const fallbackErrors = {
  errorMessageOf: (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
  exitCodeOf: (): ExitCode => EXIT_CODES.failure,
};
