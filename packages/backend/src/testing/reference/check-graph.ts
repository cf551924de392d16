/** Compile-time checks of a graph handed to the reference backend. */
import { GraphError } from '../../errors.js';
import { inferNode } from '../../ir/ops.js';
import { formatShape } from '../../ir/shape.js';
import type { Graph, TensorType } from '../../ir/types.js';
import { KERNELS } from './kernels/index.js';

const same = (a: TensorType, b: TensorType): boolean => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/**
 * Every node's op is known, its inputs are defined before it (topological order), and re-running shape
 * inference gives exactly the types recorded in `graph.values`; outputs name values.
 * @throws GraphError naming the graph, node and values concerned.
 */
export function checkGraph(graph: Graph): void {
  const defined = new Set<string>();
  for (const v of [...graph.inputs, ...graph.params]) {
    if (defined.has(v.name)) throw new GraphError(`graph "${graph.name}": value "${v.name}" is declared twice`);
    defined.add(v.name);
  }
  for (const node of graph.nodes) {
    const where = `${node.op} node "${node.name}" of graph "${graph.name}"`;
    if (!(node.op in KERNELS)) throw new GraphError(`${where}: unknown op`);
    const types = node.inputs.map((name) => {
      if (!name) return undefined;
      if (!defined.has(name)) throw new GraphError(`${where}: input "${name}" is not defined before the node`);
      return graph.values.get(name);
    });
    const inferred = inferNode(node.op, node.name, types, node.attrs);
    if (inferred.length !== node.outputs.length) throw new GraphError(`${where}: has ${node.outputs.length} outputs, the op gives ${inferred.length}`);
    node.outputs.forEach((name, i) => {
      const declared = graph.values.get(name);
      if (!declared) throw new GraphError(`${where}: output "${name}" has no type in graph.values`);
      if (!same(declared, inferred[i])) {
        throw new GraphError(`${where}: output "${name}" is declared ${declared.dtype} ${formatShape(declared.shape)}, inference gives ${inferred[i].dtype} ${formatShape(inferred[i].shape)}`);
      }
      if (defined.has(name)) throw new GraphError(`${where}: output "${name}" is defined twice`);
      defined.add(name);
    });
  }
  for (const o of graph.outputs) if (!defined.has(o)) throw new GraphError(`graph "${graph.name}": output "${o}" is not a value`);
}
