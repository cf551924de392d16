/**
 * Several iterations of a step graph as one graph. A backend run has a fixed cost besides its kernels (the
 * runtime call, and on onnxruntime-node a copy of every output into fresh JS memory): a train step that hands
 * all params and velocities back every run pays it per step. Unrolled, the state flows from one copy to the
 * next inside the runtime and leaves it once per group of steps.
 */
import { GraphError } from '../errors.js';
import { GraphBuilder, type Value } from './builder.js';
import type { Graph } from './types.js';

/** Options of {@link unrollSteps}. */
export interface UnrollOptions {
  /** Iterations in the unrolled graph, ≥ 1. */
  readonly steps: number;
  /**
   * State carried from one iteration to the next: param name → output holding its next value. Copy k + 1
   * reads, where copy k read the param, that output of copy k.
   */
  readonly carry: Readonly<Record<string, string>>;
}

/** Name of input or per-step output `name` of iteration `k` (0-based) in an unrolled graph. */
export const stepValueName = (name: string, k: number): string => `${name}#${k}`;

/**
 * The graph running `graph` `steps` times in a row. Every input `x` becomes one input per iteration,
 * `x#0 … x#(steps−1)` (see {@link stepValueName}), all sharing the symbolic dims; params stay params (state
 * params are read by the first iteration only); carried outputs keep their names and hold the values after
 * the last iteration; every other output `y` becomes `y#0 … y#(steps−1)` (also for `steps` = 1, so callers
 * have one naming). The iterations compute exactly what `steps` runs of `graph` would, op for op.
 * @throws GraphError if `steps` is not a positive integer, or a carried name is not a param or not an output
 * of the same type.
 */
export function unrollSteps(graph: Graph, options: UnrollOptions): Graph {
  const { steps, carry } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new GraphError(`unrolling graph "${graph.name}": steps must be a positive integer, got ${steps}`);
  const params = new Set(graph.params.map((p) => p.name));
  for (const [param, output] of Object.entries(carry)) {
    const where = `unrolling graph "${graph.name}": carried state "${param}" → "${output}"`;
    if (!params.has(param)) throw new GraphError(`${where}: "${param}" is not a param`);
    if (!graph.outputs.includes(output)) throw new GraphError(`${where}: "${output}" is not an output`);
    const [a, b] = [graph.values.get(param)!, graph.values.get(output)!];
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
      throw new GraphError(`${where}: the output's type differs from the param's`);
    }
  }
  const carriedOutputs = new Set(Object.values(carry));
  const b = new GraphBuilder(`${graph.name}×${steps}`);
  for (const p of graph.params) b.param(p.name, p.shape as number[], p.role);
  for (let k = 0; k < steps; k++) for (const i of graph.inputs) b.input(stepValueName(i.name, k), i.dtype, i.shape);

  let state = new Map<string, string>(Object.keys(carry).map((p) => [p, p]));
  for (let k = 0; k < steps; k++) {
    const last = k === steps - 1;
    const names = new Map<string, string>(state);
    for (const i of graph.inputs) names.set(i.name, stepValueName(i.name, k));
    const rename = (v: string): string => (last && carriedOutputs.has(v) ? v : `step${k}/${v}`);
    for (const node of graph.nodes) {
      const inputs = node.inputs.map((v): Value | undefined => (v === '' ? undefined : b.value(names.get(v) ?? v)));
      const outputs = node.outputs.map(rename);
      b.node(node.op, inputs, node.attrs, { name: `step${k}/${node.name}`, outputs });
      node.outputs.forEach((v, j) => names.set(v, outputs[j]));
    }
    for (const o of graph.outputs) {
      if (carriedOutputs.has(o)) continue;
      b.output(b.value(names.get(o) ?? o), stepValueName(o, k));
    }
    state = new Map(Object.entries(carry).map(([p, o]) => [p, names.get(o) ?? o]));
  }
  // The last iteration wrote the carried outputs under their own names.
  for (const o of graph.outputs) if (carriedOutputs.has(o)) b.output(b.value(o));
  return b.build();
}
