/**
 * Exit codes of the `rank-collapse` command. Scripts may rely on them; they only ever gain new values.
 */
export const EXIT_CODES = {
  /** Everything asked for was done. */
  ok: 0,
  /** A runtime failure: a model or data file that cannot be used, a backend error, an I/O error. */
  failure: 1,
  /** Usage or configuration error: unknown flag or command, bad value, invalid sweep file (names the field). */
  usage: 2,
  /** A sweep finished, but some trials failed or diverged (the rest are in the store). */
  trialsFailed: 3,
  /** No requested backend can run on this machine (`rank-collapse backends` says why). */
  backendUnavailable: 4,
  /** Stopped by SIGINT/SIGTERM; rerunning the same command resumes a sweep. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
