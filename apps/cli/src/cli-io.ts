import { isAbsolute, resolve } from 'node:path';

/** Where a command reads and writes: injectable so tests run commands in-process. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  /** Directory relative paths on the command line are resolved against. */
  cwd: string;
  /** Whether standard error is a terminal (progress bars) — false in tests and pipes. */
  isTTY: boolean;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly (a sweep keeps what it finished). */
  signal?: AbortSignal;
}

/**
 * The directory the user typed the command in. `pnpm --filter … run` starts the script in the package's
 * folder and says where it was called from in INIT_CWD, so paths on the command line keep their meaning.
 */
export function invocationDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** The process's own io. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: invocationDirectory(),
    isTTY: Boolean(process.stderr.isTTY),
    ...(signal && { signal }),
  };
}

/** Resolves a path given on the command line against the invocation directory. */
export const resolvePath = (io: Pick<CliIo, 'cwd'>, path: string): string => (isAbsolute(path) ? path : resolve(io.cwd, path));
