/**
 * The few facts about an ONNX graph a weight reader needs: which values are constants (initializers and
 * Constant nodes), which node produces each value, which nodes read it, and node attributes with defaults.
 */
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor } from './onnx-schema.js';

/** A value known before the model runs. */
export interface OnnxConstant {
  /** The value's name (the initializer's, or the Constant node's output). */
  readonly name: string;
  readonly tensor: OnnxTensor;
  readonly from: 'initializer' | 'Constant';
}

/** One input slot of one node. */
export interface OnnxConsumer {
  readonly node: OnnxNode;
  readonly index: number;
  readonly input: number;
}

export interface OnnxGraphIndex {
  readonly nodes: readonly OnnxNode[];
  /** Initializers first (file order), then Constant nodes (node order). */
  readonly constants: readonly OnnxConstant[];
  readonly constantByName: ReadonlyMap<string, OnnxConstant>;
  readonly consumers: ReadonlyMap<string, readonly OnnxConsumer[]>;
  readonly producer: ReadonlyMap<string, number>;
  readonly outputs: readonly string[];
}

export function indexGraph(graph: OnnxGraph): OnnxGraphIndex {
  const nodes = graph.node ?? [];
  const constants: OnnxConstant[] = (graph.initializer ?? []).map((tensor) => ({ name: tensor.name ?? '', tensor, from: 'initializer' as const }));
  const consumers = new Map<string, OnnxConsumer[]>();
  const producer = new Map<string, number>();
  nodes.forEach((node, index) => {
    (node.input ?? []).forEach((name, input) => {
      if (name === '') return; // an omitted optional input
      if (!consumers.has(name)) consumers.set(name, []);
      consumers.get(name)!.push({ node, index, input });
    });
    for (const name of node.output ?? []) if (name !== '') producer.set(name, index);
    const value = node.opType === 'Constant' && (node.domain ?? '') === '' ? attribute(node, 'value')?.t : undefined;
    if (value && node.output?.[0]) constants.push({ name: node.output[0], tensor: value, from: 'Constant' });
  });
  return {
    nodes,
    constants,
    constantByName: new Map(constants.map((c) => [c.name, c])),
    consumers,
    producer,
    outputs: (graph.output ?? []).map((o) => o.name ?? ''),
  };
}

export function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}

/** An INT attribute, or `fallback` when absent. */
export function intAttribute(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i !== undefined ? Number(a.i) : fallback;
}

/** An INTS attribute, or undefined when absent. */
export function intsAttribute(node: OnnxNode, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.ints && (a.ints.length > 0 || a.type === 7) ? a.ints.map(Number) : undefined;
}

/** A STRING attribute, or `fallback` when absent. */
export function stringAttribute(node: OnnxNode, name: string, fallback: string): string {
  const s = attribute(node, name)?.s;
  return s ? new TextDecoder().decode(s) : fallback;
}

/** A node's name for people and for matrix names: its own, or `<op>_<index>` when it has none. */
export const nodeLabel = (node: OnnxNode, index: number): string => (node.name ? node.name : `${node.opType ?? 'node'}_${index}`);
