/**
 * Finds the tensors of an unpickled checkpoint: a state dict, or any nesting of dicts, lists and tuples around
 * state dicts ({"model": state_dict, "optimizer": …, "epoch": 3}), each tensor named by its dotted path.
 */
import { PickleDict, TensorRef, type PickleValue } from './pickle-values.js';

/** A tensor found, or a part of the checkpoint left out as a whole (optimizer state). */
export type CheckpointEntry =
  | { readonly kind: 'tensor'; readonly name: string; readonly tensor: TensorRef }
  | { readonly kind: 'skipped'; readonly name: string; readonly reason: string };

/** Deepest nesting followed (state dicts are 1–3 levels deep). */
const MAX_DEPTH = 32;
/** Most containers and values visited (a pickle can share one tuple many times over, growing the walk exponentially). */
const MAX_VISITS = 1_000_000;

/** Keys under which training scripts save optimizer state. */
const OPTIMIZER_KEY = /^(optim|optimizer|optimizers|optimizer_state|optimizer_states|optimizer_state_dict|optim_state)$/i;

/**
 * Walks `root` in insertion order. Dicts with string or integer keys and lists/tuples are followed (names joined
 * with `.`); an optimizer's state (a dict with `state` and `param_groups`, or a value under an optimizer key) is
 * one skipped entry; numbers, strings and other values carry no weights and are not listed.
 * @throws RangeError when the nesting is deeper than 32 or the walk visits more than a million values
 */
export function checkpointTensors(root: PickleValue): CheckpointEntry[] {
  const out: CheckpointEntry[] = [];
  const ancestors = new Set<PickleValue>();
  let visits = 0;
  const walk = (value: PickleValue, name: string, depth: number): void => {
    if (++visits > MAX_VISITS) throw new RangeError(`the checkpoint's structure has more than ${MAX_VISITS} values`);
    if (value instanceof TensorRef) {
      out.push({ kind: 'tensor', name: name || 'tensor', tensor: value });
      return;
    }
    const children = childrenOf(value);
    if (!children || ancestors.has(value)) return;
    if (depth > MAX_DEPTH) throw new RangeError(`"${name}" is nested deeper than ${MAX_DEPTH} levels`);
    const segment = name.slice(name.lastIndexOf('.') + 1);
    if (OPTIMIZER_KEY.test(segment) || isOptimizerState(value)) {
      const count = countTensors(value);
      out.push({ kind: 'skipped', name: name || 'optimizer', reason: `optimizer state (${count} tensor${count === 1 ? '' : 's'}): not model weights` });
      return;
    }
    ancestors.add(value);
    for (const [key, child] of children) walk(child, name ? `${name}.${key}` : key, depth + 1);
    ancestors.delete(value);
  };
  const countTensors = (value: PickleValue): number => {
    let count = 0;
    const stack: [PickleValue, number][] = [[value, 0]];
    const seen = new Set<PickleValue>();
    while (stack.length) {
      const [v, depth] = stack.pop() as [PickleValue, number];
      if (++visits > MAX_VISITS) throw new RangeError(`the checkpoint's structure has more than ${MAX_VISITS} values`);
      if (v instanceof TensorRef) count++;
      else if (!seen.has(v) && depth <= MAX_DEPTH) {
        seen.add(v);
        for (const [, child] of childrenOf(v) ?? []) stack.push([child, depth + 1]);
      }
    }
    return count;
  };
  walk(root, '', 0);
  return out;
}

/** Named children of a container: dict entries with string or integer keys, list and tuple items by index. */
function childrenOf(value: PickleValue): [string, PickleValue][] | null {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
  if (value instanceof PickleDict) {
    const out: [string, PickleValue][] = [];
    for (const [k, v] of value.entries) if (typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint') out.push([String(k), v]);
    return out;
  }
  return null;
}

function isOptimizerState(value: PickleValue): boolean {
  return value instanceof PickleDict && value.entries.has('state') && value.entries.has('param_groups');
}
