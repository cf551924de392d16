/** The shape of one op's implementation in the reference interpreter. */
import type { OpAttrs, OpType } from '../../../ir/types.js';
import type { ReferenceTensor } from '../tensor.js';

export interface KernelContext {
  /** `Op node "name"`, prefixed to every error. */
  readonly where: string;
  /** Sizes of the symbolic dims, bound from the feeds. */
  readonly symbols: ReadonlyMap<string, number>;
}

/** Computes a node's outputs from concrete inputs (`undefined` for omitted optional inputs). */
export type Kernel<T extends OpType> = (inputs: readonly (ReferenceTensor | undefined)[], attrs: OpAttrs[T], context: KernelContext) => ReferenceTensor[];

/** Kernels of a family of ops. */
export type KernelTable<K extends OpType> = { readonly [T in K]: Kernel<T> };
