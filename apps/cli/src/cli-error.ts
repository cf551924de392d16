import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/**
 * An error the command reports as one message on stderr (no stack) and turns into an exit code.
 * `code` is a stable machine-readable name, `exitCode` one of {@link EXIT_CODES}.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT_CODES.failure,
    readonly code: string = 'FAILURE',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A usage or configuration error (exit code 2): the message names the flag or field concerned. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_CODES.usage, 'USAGE', options);
    this.name = 'UsageError';
  }
}

/**
 * Gives a file-system error the path it concerns when the system call did not record one (a write to an
 * open file: ENOSPC), so the message can name it. Returns the same error.
 */
export function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).path === undefined) {
    (error as NodeJS.ErrnoException).path = path;
  }
  return error;
}
