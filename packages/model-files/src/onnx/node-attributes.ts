/** Typed reads of ONNX node attributes, with the defaults the operator specs give. */
import type { AttributeProto, NodeProto } from './proto/onnx-proto.js';

function find(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

/** An INT attribute, or `fallback` when absent. */
export function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a?.i === undefined || a.i === null ? fallback : Number(a.i);
}

/** A FLOAT attribute, or `fallback` when absent. */
export function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a?.f === undefined || a.f === null ? fallback : Number(a.f);
}

/** An INTS attribute, or undefined when absent. */
export function intsAttribute(node: NodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  return a && (a.ints?.length || a.type === 7) ? (a.ints ?? []).map(Number) : undefined;
}

/** A STRING attribute decoded as UTF-8, or `fallback` when absent. */
export function stringAttribute(node: NodeProto, name: string, fallback: string): string {
  const a = find(node, name);
  return a?.s ? new TextDecoder().decode(a.s) : fallback;
}
