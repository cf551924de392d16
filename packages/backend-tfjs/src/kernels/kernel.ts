/** The shape of an op kernel: reads its inputs from the store, writes its outputs back. */
import type { Node } from '@rank-collapse/backend';
import type { Tf } from '../tf-namespace.js';
import type { ValueStore } from '../value-store.js';

/** What a kernel sees: the tf namespace, the run's values and the bound symbolic dims. */
export interface KernelContext {
  readonly tf: Tf;
  readonly values: ValueStore;
  /** Run-time sizes of the graph's symbolic dims (e.g. the batch `N`). */
  readonly symbols: ReadonlyMap<string, number>;
}

/** Computes one node: reads `node.inputs` from `ctx.values`, stores `node.outputs`. Throws on runtime failure. */
export type Kernel = (ctx: KernelContext, node: Node) => void;
