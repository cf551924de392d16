import type { StoreLockOwner } from './store-lock.js';

/** Why a store cannot be used: `locked` (another live sweep writes it), `other-sweep` (it belongs to another sweep name), `not-a-store` (not a rank-collapse SQLite file), `io` (the file system refused: read-only, permissions, full disk). */
export type SweepStoreErrorCode = 'locked' | 'other-sweep' | 'not-a-store' | 'io';

/** A store that cannot be opened or written; the message names the file and what to do. */
export class SweepStoreError extends Error {
  constructor(
    readonly code: SweepStoreErrorCode,
    /** The store file. */
    readonly path: string,
    message: string,
    readonly details: { owner?: StoreLockOwner; sweeps?: string[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SweepStoreError';
  }
}
