/** What went wrong, so callers can react without parsing messages. */
export type DatasetErrorCode =
  /** A data file or folder does not exist (the message says how to install it). */
  | 'not-found'
  /** A file is not what it claims to be: bad magic, dtype, dimensions, length or compression. */
  | 'invalid-format'
  /** Files or arrays disagree with each other (e.g. image and label counts, labels out of range). */
  | 'inconsistent'
  /** An option is missing or out of range. */
  | 'invalid-options'
  /** A class has fewer samples than requested. */
  | 'insufficient-samples';

/** Optional context attached to a {@link DatasetError}. */
export interface DatasetErrorDetails {
  /** Path of the file concerned. */
  file?: string;
  /** What was expected, as text. */
  expected?: string;
  /** What was found instead, as text. */
  found?: string;
  /** What the user can do about it, e.g. an install command. */
  hint?: string;
}

/**
 * The single error type thrown by this package. The message names the file (when there is one), the problem,
 * and the expected versus found value, e.g.
 * `train-images-idx3-ubyte: file length: expected 47040016 bytes, found 47040000 bytes`.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  readonly code: DatasetErrorCode;
  readonly file?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly hint?: string;

  constructor(code: DatasetErrorCode, problem: string, details: DatasetErrorDetails = {}) {
    let message = details.file !== undefined ? `${details.file}: ${problem}` : problem;
    if (details.expected !== undefined || details.found !== undefined) {
      message += `: expected ${details.expected ?? '?'}, found ${details.found ?? '?'}`;
    }
    if (details.hint !== undefined) message += `. ${details.hint}`;
    super(message);
    this.code = code;
    this.file = details.file;
    this.expected = details.expected;
    this.found = details.found;
    this.hint = details.hint;
  }
}
