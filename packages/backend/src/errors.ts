/** Typed errors of the contract. Every message names the op, value, file or capability concerned. */

/** Base class: `code` is stable for programs, `message` is for people. */
export class RankCollapseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A graph that cannot be built: wrong shapes, dtypes, attributes or names. */
export class GraphError extends RankCollapseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GRAPH', message, options);
  }
}

/** A backend lacks an optional capability (import, export, an op, a device). */
export class UnsupportedError extends RankCollapseError {
  constructor(
    readonly backend: string,
    readonly capability: string,
    detail?: string,
  ) {
    super('UNSUPPORTED', `${backend} does not support ${capability}${detail ? `: ${detail}` : ''}`);
  }
}

/** A run failed: a missing or mistyped feed, or a failure inside the runtime. */
export class RunError extends RankCollapseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RUN', message, options);
  }
}

/** A backend cannot start here (native binding missing, runtime not installed, ...). */
export class BackendUnavailableError extends RankCollapseError {
  constructor(
    readonly backend: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('BACKEND_UNAVAILABLE', `${backend} is not available: ${reason}`, options);
  }
}

/** A model file that cannot be read: names the file and what is wrong. */
export class ModelFileError extends RankCollapseError {
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super('MODEL_FILE', `${file}: ${problem}`, options);
  }
}
