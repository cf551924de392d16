/**
 * The GraphDef of a TF.js Graph model (`modelTopology.node`, plus the nodes of `library.function`): which ops
 * consume each tensor (through Identity nodes), node attributes as tfjs-converter writes them (proto3 JSON:
 * bools `b`, ints `i` as strings, strings `s` in base64), and the graph's outputs.
 */
import { ModelFileError } from '@rank-collapse/backend';
import { isObject, type Json } from './read-model-json.js';

export interface GraphNode {
  readonly name: string;
  readonly op: string;
  /** Source node names of the data inputs (output index and `^control` inputs dropped). */
  readonly inputs: readonly string[];
  readonly attr: Json;
}

/** One use of a tensor: `node` reads it as its input `index`. */
export interface GraphUse {
  readonly node: GraphNode;
  readonly index: number;
}

/** Ops that pass a tensor on unchanged (a weight often reaches its consumer through them). */
const FORWARDING = new Set(['Identity', 'Snapshot', 'StopGradient']);

export class GraphTopology {
  readonly nodes = new Map<string, GraphNode>();
  private readonly consumers = new Map<string, GraphUse[]>();

  /** @throws ModelFileError naming `file` when `modelTopology.node` is missing or a node has no name or op. */
  constructor(file: string, modelTopology: unknown) {
    if (!isObject(modelTopology) || !Array.isArray(modelTopology.node)) throw new ModelFileError(file, 'has no "modelTopology.node" list: not a TF.js Graph model');
    const functions = isObject(modelTopology.library) && Array.isArray(modelTopology.library.function) ? modelTopology.library.function : [];
    const defs = [...modelTopology.node, ...functions.flatMap((f: unknown) => (isObject(f) && Array.isArray(f.nodeDef) ? f.nodeDef : []))];
    for (const [i, n] of defs.entries()) {
      if (!isObject(n) || typeof n.name !== 'string' || typeof n.op !== 'string') throw new ModelFileError(file, `graph node ${i} has no "name" or "op"`);
      const inputs = (Array.isArray(n.input) ? n.input : []).map(String).filter((s) => !s.startsWith('^')).map((s) => s.split(':')[0]);
      const node: GraphNode = { name: n.name, op: n.op, inputs, attr: isObject(n.attr) ? n.attr : {} };
      if (!this.nodes.has(node.name)) this.nodes.set(node.name, node);
      for (const [index, source] of inputs.entries()) {
        const uses = this.consumers.get(source);
        if (uses) uses.push({ node, index });
        else this.consumers.set(source, [{ node, index }]);
      }
    }
  }

  /** The ops reading `name`, looking through Identity-like nodes, in graph order. */
  usesOf(name: string): GraphUse[] {
    const out: GraphUse[] = [];
    const seen = new Set<string>([name]);
    const visit = (source: string) => {
      for (const use of this.consumers.get(source) ?? []) {
        if (FORWARDING.has(use.node.op)) {
          if (!seen.has(use.node.name)) {
            seen.add(use.node.name);
            visit(use.node.name);
          }
        } else out.push(use);
      }
    };
    visit(name);
    return out;
  }

  /** The node that really produces input `index` of `node`, looking back through Identity-like nodes. */
  sourceOf(node: GraphNode, index: number): GraphNode | undefined {
    let source = this.nodes.get(node.inputs[index]);
    for (let hops = 0; source && FORWARDING.has(source.op) && hops < this.nodes.size; hops++) source = this.nodes.get(source.inputs[0]);
    return source;
  }

  /** Output nodes: the signature's outputs when the file has one, else the nodes no other node reads. */
  outputs(signature: unknown): GraphNode[] {
    const named = isObject(signature) && isObject(signature.outputs) ? Object.values(signature.outputs).map((o) => (isObject(o) && typeof o.name === 'string' ? o.name.split(':')[0] : '')) : [];
    if (named.length > 0) return named.map((n) => this.nodes.get(n)).filter((n): n is GraphNode => n !== undefined);
    return [...this.nodes.values()].filter((n) => !this.consumers.has(n.name) && !['Const', 'NoOp', 'Placeholder'].includes(n.op));
  }
}

/** A bool attribute (`{"b": true}`; proto3 JSON leaves out false). */
export function boolAttr(node: GraphNode, key: string): boolean {
  const a = node.attr[key];
  return isObject(a) && a.b === true;
}

/** An int attribute (`{"i": "2"}`: int64 is a string in proto3 JSON). */
export function intAttr(node: GraphNode, key: string): number | undefined {
  const a = node.attr[key];
  return isObject(a) && a.i !== undefined ? Number(a.i) : undefined;
}

/** A string attribute (`{"s": "<base64>"}`), decoded. */
export function stringAttr(node: GraphNode, key: string): string | undefined {
  const a = node.attr[key];
  return isObject(a) && typeof a.s === 'string' ? Buffer.from(a.s, 'base64').toString('utf8') : undefined;
}

/** A list-of-strings attribute (`{"list": {"s": [<base64>, …]}}`), decoded: the fused ops of _FusedConv2D. */
export function stringListAttr(node: GraphNode, key: string): string[] {
  const a = node.attr[key];
  const list = isObject(a) && isObject(a.list) && Array.isArray(a.list.s) ? a.list.s : [];
  return list.map((s) => Buffer.from(String(s), 'base64').toString('utf8'));
}
