/** Evaluates the nodes a set of fetched values depends on, in graph order, with the reference kernels. */
import { RankCollapseError, RunError } from '../../errors.js';
import { formatShape } from '../../ir/shape.js';
import type { Graph, Node, TensorType } from '../../ir/types.js';
import { KERNELS, type Kernel } from './kernels/index.js';
import type { ReferenceTensor } from './tensor.js';

/** Nodes needed for `fetch`, in graph (topological) order. */
export function nodesFor(graph: Graph, fetch: readonly string[]): Node[] {
  const producer = new Map<string, Node>();
  for (const node of graph.nodes) for (const o of node.outputs) producer.set(o, node);
  const needed = new Set<Node>();
  const stack = [...fetch];
  while (stack.length > 0) {
    const node = producer.get(stack.pop()!);
    if (!node || needed.has(node)) continue;
    needed.add(node);
    for (const i of node.inputs) if (i) stack.push(i);
  }
  return graph.nodes.filter((n) => needed.has(n));
}

/**
 * Runs `nodes` on `values` (holding the feeds), adding every node output. Each output's concrete shape and
 * dtype is checked against the graph's declared type (symbolic dims bound on first sight), so a kernel and
 * the shape inference cannot silently disagree.
 * @throws RunError naming the node; kernel failures are wrapped with the cause.
 */
export function interpret(graph: Graph, nodes: readonly Node[], values: Map<string, ReferenceTensor>, symbols: Map<string, number>): void {
  for (const node of nodes) {
    const where = `${node.op} node "${node.name}"`;
    const inputs = node.inputs.map((name) => {
      if (!name) return undefined;
      const v = values.get(name);
      if (!v) throw new RunError(`${where}: input "${name}" has no value (is the graph in topological order?)`);
      return v;
    });
    const kernel = KERNELS[node.op] as Kernel<typeof node.op>;
    let outputs: ReferenceTensor[];
    try {
      outputs = kernel(inputs, node.attrs, { where, symbols });
    } catch (error) {
      if (error instanceof RunError) throw error;
      const message = error instanceof RankCollapseError || error instanceof Error ? error.message : String(error);
      throw new RunError(`${where}: ${message}`, { cause: error });
    }
    node.outputs.forEach((name, i) => {
      const t = outputs[i];
      const declared = graph.values.get(name);
      if (declared) checkDeclared(t, declared, symbols, `${where} output "${name}"`);
      values.set(name, t);
    });
  }
}

function checkDeclared(t: ReferenceTensor, declared: TensorType, symbols: Map<string, number>, what: string): void {
  const fits =
    t.dtype === declared.dtype &&
    t.shape.length === declared.shape.length &&
    declared.shape.every((d, i) => {
      if (typeof d === 'number') return d === t.shape[i];
      const bound = symbols.get(d);
      if (bound === undefined && /^[A-Za-z_][\w]*$/.test(d)) symbols.set(d, t.shape[i]);
      // Compound symbolic dims (e.g. "N+3" from Concat) carry no constraint here.
      return bound === undefined || bound === t.shape[i];
    });
  if (!fits) {
    throw new RunError(`${what} is ${t.dtype} ${formatShape(t.shape)} but the graph declares ${declared.dtype} ${formatShape(declared.shape)} (symbols: ${[...symbols].map(([k, v]) => `${k}=${v}`).join(', ') || 'none'})`);
  }
}
