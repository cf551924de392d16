/** The shape of a gradient rule: given the upstream gradients of a node's outputs, the gradients of its inputs. */
import type { Value } from '../../ir/builder.js';
import type { Node, OpType } from '../../ir/types.js';
import type { GradEmitter } from '../grad-emitter.js';

export interface RuleContext<T extends OpType = OpType> {
  readonly node: Node<T>;
  /** Emits gradient nodes named under the node's scope. */
  readonly e: GradEmitter;
  /** Typed handles of the node's inputs (undefined for an omitted optional input) and outputs. */
  readonly inputs: readonly (Value | undefined)[];
  readonly outputs: readonly Value[];
  /** Upstream gradient of each output (same shape as the output), or undefined where none flows. */
  readonly dy: readonly (Value | undefined)[];
  /** Whether the gradient of each input is wanted (it depends on a `wrt` value); rules may skip the others. */
  readonly needs: readonly boolean[];
  /** "Op node "name"" for error messages. */
  readonly where: string;
}

/** Returns one gradient per input (same shape as the input) or undefined where none is wanted or none flows. */
export type GradientRule<T extends OpType = OpType> = (ctx: RuleContext<T>) => (Value | undefined)[];

export type RuleTable = { readonly [T in OpType]?: GradientRule<T> };

/** The first output's upstream gradient: every single-output rule has one (the engine skips nodes without). */
export function dy0(ctx: RuleContext<any>): Value {
  const g = ctx.dy[0];
  if (!g) throw new Error(`${ctx.where}: no upstream gradient for output 0`);
  return g;
}

/** The input at `i`, which must be present. */
export function input(ctx: RuleContext<any>, i: number): Value {
  const v = ctx.inputs[i];
  if (!v) throw new Error(`${ctx.where}: input ${i} is absent`);
  return v;
}
