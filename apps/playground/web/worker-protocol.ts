/** Messages between the page and a run's Web Worker. */
import type { BackendKind, RunConfig } from './run-config.js';
import type { Snapshot } from './snapshot.js';

export type ToWorker = { readonly type: 'start'; readonly config: RunConfig } | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready'; readonly backend: BackendKind; readonly device: string }
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'done'; readonly status: 'done' | 'aborted' | 'diverged'; readonly steps: number; readonly finalParams: Record<string, number[]> }
  | { readonly type: 'error'; readonly message: string };
