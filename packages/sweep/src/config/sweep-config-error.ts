/** A sweep file that cannot be used, with every problem found (not only the first). */

/** One problem in a sweep file. */
export interface ConfigIssue {
  /** Where in the file, as keys and list indices (`['grid', 'weightDecay', 2]`). */
  path: ReadonlyArray<string | number>;
  /** The offending value as found in the file; `undefined` when the field is missing. */
  value: unknown;
  /** What was expected, phrased to follow "expected" (e.g. `a number ≥ 0`). */
  expected: string;
  /** A suggestion such as `did you mean "lr"?`. */
  hint?: string;
  /** Context such as the grid combination that produced the value. */
  note?: string;
  /** A complete description replacing "expected …, got …" (syntax errors, unreadable files). */
  message?: string;
  /** 1-based position in the file when known. */
  line?: number;
  column?: number;
}

/** Thrown when a sweep file cannot be read, parsed or validated; `message` lists every issue, one per line. */
export class SweepConfigError extends Error {
  override readonly name = 'SweepConfigError';
  constructor(
    /** The file as the user named it (or `<inline>` for text not read from a file). */
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatConfigIssues(file, issues));
  }
}

/** Formats issues as `file:line:col: path: expected X, got Y (hint) [note]`, one per line, under a headline. */
export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => `  ${formatConfigIssue(file, issue)}`);
  return [`Invalid sweep file ${file} (${count}):`, ...lines].join('\n');
}

/** Formats one issue (see {@link formatConfigIssues}). */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const note = issue.note ? ` [${issue.note}]` : '';
  if (issue.message !== undefined) return `${where}: ${issue.message}${note}`;
  const path = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  const got = issue.value === undefined ? 'nothing (the field is missing)' : describeValue(issue.value);
  const hint = issue.hint ? `; ${issue.hint}` : '';
  return `${where}: ${path}: expected ${issue.expected}, got ${got}${hint}${note}`;
}

/** `['grid', 'model.hidden', 0]` → `grid["model.hidden"][0]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

const MAX_VALUE_CHARS = 80;

/** A short, unambiguous rendering of a value with its kind where the kind is the likely mistake. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `${truncate(JSON.stringify(value))} (a string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `${truncate(safeJson(value))} (a list of ${value.length})`;
  if (typeof value === 'object') return `${truncate(safeJson(value))} (an object)`;
  return `${String(value)} (a ${typeof value})`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function truncate(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}
