import type { CliIo } from '../cli-io.js';
import type { ExitCode } from '../exit-codes.js';

/** What every command's action gets: the io, and a way to end with a code other than 0 without throwing. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: ExitCode): void;
}

/** Writes a value as pretty JSON followed by a newline. */
export const writeJson = (io: CliIo, value: unknown): void => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
