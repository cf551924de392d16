/**
 * Symbolic reverse-mode autodiff on the IR: extends a graph with the nodes that compute the gradient of one
 * value with respect to others. The gradient is written in IR ops only, so every backend runs it unchanged.
 */
import { GraphError } from '../errors.js';
import { GraphBuilder, type Value } from '../ir/builder.js';
import { OPS } from '../ir/ops.js';
import { formatShape } from '../ir/shape.js';
import type { Graph, Node } from '../ir/types.js';
import { GradEmitter, sameShape } from './grad-emitter.js';
import { GRADIENT_RULES, type GradientRule } from './rules/index.js';

export interface GradientsOptions {
  /** The value to differentiate: a float32 scalar (every dim 1, or rank 0) unless `seed` is given. */
  readonly of: string;
  /** Values to differentiate with respect to: float32 inputs, params or intermediate values (e.g. pre-activations). */
  readonly wrt: readonly string[];
  /**
   * An existing input or value of the same shape as `of` holding the upstream gradient ∂L/∂of; the result is
   * then the vector–Jacobian product. Default: ones (the plain gradient of a scalar `of`).
   */
  readonly seed?: string;
  /** Append the gradient values to the graph outputs (in `wrt` order). Default true. */
  readonly outputs?: boolean;
}

export interface GradientsResult {
  /** The original graph (same inputs, params, nodes and outputs first) plus the gradient nodes. */
  readonly graph: Graph;
  /** Name of the gradient value of each `wrt` value, `<prefix><wrt>` with prefix `grad/` (or `grad2/`, ... when taken). */
  readonly gradients: Record<string, string>;
}

/** A name prefix no value or node of the graph starts with, so gradient names never collide. */
function freePrefix(graph: Graph): string {
  const names = [...graph.values.keys(), ...graph.nodes.map((n) => n.name)];
  for (let k = 1; ; k++) {
    const prefix = k === 1 ? 'grad/' : `grad${k}/`;
    if (!names.some((n) => n.startsWith(prefix))) return prefix;
  }
}

function checkOptions(graph: Graph, options: GradientsOptions): void {
  const where = `gradients of "${options.of}" in graph "${graph.name}"`;
  const of = graph.values.get(options.of);
  if (!of) throw new GraphError(`${where}: no value "${options.of}"`);
  if (of.dtype !== 'float32') throw new GraphError(`${where}: "${options.of}" must be float32, got ${of.dtype}`);
  if (options.seed !== undefined) {
    const seed = graph.values.get(options.seed);
    if (!seed) throw new GraphError(`${where}: seed "${options.seed}" is not a value of the graph`);
    if (seed.dtype !== 'float32' || !sameShape(seed.shape, of.shape)) {
      throw new GraphError(`${where}: seed "${options.seed}" (${seed.dtype} ${formatShape(seed.shape)}) must be float32 of the shape of "${options.of}" ${formatShape(of.shape)}`);
    }
  } else if (!of.shape.every((d) => d === 1)) {
    throw new GraphError(`${where}: "${options.of}" must be a scalar, got shape ${formatShape(of.shape)}; pass a seed to differentiate a non-scalar value`);
  }
  for (const w of options.wrt) {
    const t = graph.values.get(w);
    if (!t) throw new GraphError(`${where}: wrt "${w}" is not a value of the graph`);
    if (t.dtype !== 'float32') throw new GraphError(`${where}: wrt "${w}" must be float32, got ${t.dtype}`);
  }
}

/** Values reachable from `wrt` through differentiable float32 edges. */
function forwardReach(graph: Graph, wrt: readonly string[]): Set<string> {
  const reach = new Set(wrt);
  for (const node of graph.nodes) {
    if (!OPS[node.op].differentiable) continue;
    if (node.inputs.some((v) => v !== '' && reach.has(v) && graph.values.get(v)?.dtype === 'float32')) {
      for (const o of node.outputs) if (graph.values.get(o)?.dtype === 'float32') reach.add(o);
    }
  }
  return reach;
}

/** Values `of` depends on (itself included). */
function backwardReach(graph: Graph, of: string): Set<string> {
  const needed = new Set([of]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (node.outputs.some((o) => needed.has(o))) for (const v of node.inputs) if (v !== '') needed.add(v);
  }
  return needed;
}

/**
 * Builds the gradient of `of` with respect to each `wrt` value by reverse-mode accumulation over the nodes that
 * lie between them. Fan-out contributions are summed; broadcast gradients are reduced back to the operand's
 * shape; symbolic batch dims are carried through (Reshape with 0/−1, ops whose shape follows their input).
 * Non-differentiable ops (Greater, Equal, Cast, Constant) and non-float inputs stop the gradient.
 * A `wrt` value that `of` does not depend on gets a zero gradient: a Constant of zeros, or a scalar zero
 * Expanded to its shape when that shape has a symbolic dim.
 *
 * @throws GraphError if `of`, `seed` or a `wrt` value is missing or mistyped, if `of` is not a scalar and no
 *   seed is given, or if a node on the path has no supported gradient (e.g. a MaxPool with overlapping
 *   windows, naming the node and why).
 */
export function gradients(graph: Graph, options: GradientsOptions): GradientsResult {
  checkOptions(graph, options);
  const wrt = [...new Set(options.wrt)];
  const prefix = freePrefix(graph);
  const finalName = (v: string): string => `${prefix}${v}`;
  const builder = GraphBuilder.from(graph);
  const e = new GradEmitter(builder, prefix, wrt.map(finalName));
  const wanted = new Set(wrt);

  const reach = forwardReach(graph, wrt);
  const needed = backwardReach(graph, options.of);
  const contributions = new Map<string, Value[]>();
  const totals = new Map<string, Value | undefined>();
  const contribute = (v: string, g: Value): void => {
    const list = contributions.get(v);
    if (list) list.push(g);
    else contributions.set(v, [g]);
  };
  /** The summed gradient of `v` (cached); a `wrt` value's sum is named with its final name. */
  const total = (v: string): Value | undefined => {
    if (totals.has(v)) return totals.get(v);
    const list = contributions.get(v) ?? [];
    let sum: Value | undefined = list[0];
    for (let i = 1; i < list.length; i++) sum = e.add(sum!, list[i], i === list.length - 1 && wanted.has(v) ? finalName(v) : undefined);
    totals.set(v, sum);
    return sum;
  };

  e.scope = options.of;
  const ofValue = builder.value(options.of);
  contribute(options.of, options.seed !== undefined ? builder.value(options.seed) : e.constant(ofValue.shape as number[], new Float32Array(1).fill(1)));

  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((o) => needed.has(o) && reach.has(o))) continue;
    e.scope = node.name;
    const dy = node.outputs.map((o) => (reach.has(o) && needed.has(o) ? total(o) : undefined));
    if (dy.every((g) => g === undefined)) continue;
    const grads = applyRule(node, builder, e, dy, reach);
    grads.forEach((g, k) => {
      const v = node.inputs[k];
      if (g && v && reach.has(v)) contribute(v, g);
    });
  }

  const result: Record<string, string> = {};
  for (const w of wrt) {
    e.scope = w;
    let g = total(w);
    if (!g) g = e.zeros(builder.value(w).shape, finalName(w));
    else if (g.name !== finalName(w)) g = e.op('Identity', [g], {}, finalName(w));
    result[w] = g.name;
    if (options.outputs ?? true) builder.output(g);
  }
  return { graph: builder.build(), gradients: result };
}

function applyRule(node: Node, builder: GraphBuilder, e: GradEmitter, dy: (Value | undefined)[], reach: Set<string>): (Value | undefined)[] {
  const where = `${node.op} node "${node.name}"`;
  const rule = GRADIENT_RULES[node.op] as GradientRule | undefined;
  if (!rule) throw new GraphError(`${where}: no gradient rule for op ${node.op}`);
  const inputs = node.inputs.map((v) => (v === '' ? undefined : builder.value(v)));
  const needs = inputs.map((v) => v !== undefined && v.dtype === 'float32' && reach.has(v.name));
  const grads = rule({ node, e, inputs, outputs: node.outputs.map((o) => builder.value(o)), dy, needs, where });
  grads.forEach((g, k) => {
    const x = inputs[k];
    if (g && x && needs[k] && !sameShape(g.shape, x.shape) && !shapesAgreeUpToSymbols(g.shape, x.shape)) {
      throw new GraphError(`${where}: gradient of input "${x.name}" has shape ${formatShape(g.shape)}, expected ${formatShape(x.shape)}`);
    }
  });
  return grads;
}

/** Inference may resolve a symbolic dim to a number (or -1 to the symbol) where the other side keeps it. */
function shapesAgreeUpToSymbols(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i] || typeof d === 'string' || typeof b[i] === 'string');
}
