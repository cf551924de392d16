/**
 * One ONNX graph (the main graph or an If/Loop/Scan body) as the weight reader sees it: which names hold
 * constants (initializers, Constant nodes), which are computed by nodes, which arrive at run time (graph
 * inputs), with names looked up through the enclosing graphs as ONNX scoping rules say.
 */
import { ONNX_DTYPE, type AttributeProto, type GraphProto, type NodeProto, type TensorProto } from './proto/onnx-proto.js';

/** A constant of the file: an initializer or a Constant node's value. */
export interface ConstantSource {
  readonly name: string;
  /** The name shown in items: the value name with the subgraph path in front. */
  readonly label: string;
  readonly tensor: TensorProto;
  readonly origin: 'initializer' | 'Constant';
}

/** A node with the name the reader gives it (its own, or `<op>_<index>`, with the subgraph path in front). */
export interface ScopedNode {
  readonly proto: NodeProto;
  readonly opType: string;
  readonly domain: string;
  readonly label: string;
  readonly scope: GraphScope;
  /** The node's subgraphs (If branches, Loop/Scan bodies), named `<node>/<attribute>/`. */
  readonly subgraphs: GraphScope[];
}

export type Resolved =
  | { readonly kind: 'constant'; readonly source: ConstantSource; readonly scope: GraphScope }
  | { readonly kind: 'node'; readonly node: ScopedNode; readonly scope: GraphScope }
  | { readonly kind: 'runtime'; readonly scope: GraphScope | undefined };

export class GraphScope {
  readonly constants = new Map<string, ConstantSource>();
  readonly producers = new Map<string, ScopedNode>();
  readonly runtime = new Set<string>();
  readonly nodes: ScopedNode[] = [];
  /** Constant nodes whose value the reader cannot hold (sparse or string values), by output name. */
  readonly unreadableConstants = new Map<string, string>();

  constructor(
    readonly graph: GraphProto,
    readonly prefix: string,
    readonly parent: GraphScope | undefined,
  ) {
    for (const t of graph.initializer ?? []) {
      const name = t.name ?? '';
      this.constants.set(name, { name, label: prefix + name, tensor: t, origin: 'initializer' });
    }
    // A graph input with an initializer of the same name is a default value: constant unless overridden,
    // which a weight file is not; inputs without one are run-time values and shadow outer names.
    for (const input of graph.input ?? []) if (!this.constants.has(input.name ?? '')) this.runtime.add(input.name ?? '');
    (graph.node ?? []).forEach((proto, index) => {
      const opType = proto.opType ?? '';
      const domain = proto.domain ?? '';
      const label = prefix + (proto.name || `${opType}_${index}`);
      const subgraphs = subgraphsOf(proto).map((s) => new GraphScope(s.graph, `${label}/${s.name}/`, this));
      const node: ScopedNode = { proto, opType, domain, label, scope: this, subgraphs };
      this.nodes.push(node);
      const output = proto.output?.[0] ?? '';
      if (opType === 'Constant' && isDefaultDomain(domain) && output) {
        const value = constantValue(proto);
        if (typeof value === 'string') this.unreadableConstants.set(output, value);
        else {
          this.constants.set(output, { name: output, label: prefix + output, tensor: { ...value, name: output }, origin: 'Constant' });
          return;
        }
      }
      for (const o of proto.output ?? []) if (o) this.producers.set(o, node);
    });
  }

  /** What `name` is, looked up here and then in the enclosing graphs. Empty names (omitted inputs) are runtime. */
  resolve(name: string): Resolved {
    if (!name) return { kind: 'runtime', scope: undefined };
    for (let scope: GraphScope | undefined = this; scope; scope = scope.parent) {
      const source = scope.constants.get(name);
      if (source) return { kind: 'constant', source, scope };
      const node = scope.producers.get(name);
      if (node) return { kind: 'node', node, scope };
      if (scope.runtime.has(name)) return { kind: 'runtime', scope };
    }
    return { kind: 'runtime', scope: undefined };
  }
}

/** The ai.onnx domain ('' or 'ai.onnx'). */
export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** The subgraphs a node holds (If branches, Loop and Scan bodies, any graph attribute), with their attribute names. */
function subgraphsOf(proto: NodeProto): { name: string; graph: GraphProto }[] {
  const out: { name: string; graph: GraphProto }[] = [];
  for (const a of proto.attribute ?? []) {
    if (a.g) out.push({ name: a.name, graph: a.g });
    (a.graphs ?? []).forEach((graph, i) => out.push({ name: `${a.name}[${i}]`, graph }));
  }
  return out;
}

/** A Constant node's value as a TensorProto, or why it has none the reader can hold. */
function constantValue(proto: NodeProto): TensorProto | string {
  const attribute = (proto.attribute ?? [])[0] as AttributeProto | undefined;
  if (!attribute) return 'a Constant node without a value';
  switch (attribute.name) {
    case 'value':
      return attribute.t ?? 'a Constant node whose value is not a tensor';
    case 'value_float':
      return { dims: [], dataType: ONNX_DTYPE.FLOAT, floatData: [attribute.f ?? 0] };
    case 'value_floats':
      return { dims: [attribute.floats?.length ?? 0], dataType: ONNX_DTYPE.FLOAT, floatData: attribute.floats ?? [] };
    case 'value_int':
      return { dims: [], dataType: ONNX_DTYPE.INT64, int64Data: [attribute.i ?? 0] };
    case 'value_ints':
      return { dims: [attribute.ints?.length ?? 0], dataType: ONNX_DTYPE.INT64, int64Data: attribute.ints ?? [] };
    default:
      return `a Constant node with a ${attribute.name} value (not numeric dense data)`;
  }
}
