/**
 * Where the logits of an ONNX classifier are: its first output, or — when that output is produced by Softmax
 * or LogSoftmax, possibly followed by ops that keep values (Identity, Reshape, Flatten, Squeeze, Cast,
 * Dropout) — the input of that Softmax. Loss and backward signals are defined on logits, not probabilities.
 */
import type { GraphProto } from '@rank-collapse/model-files/onnx';

const KEEPS_VALUES = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Cast', 'Dropout']);

export interface LogitsLocation {
  /** The graph output the model declares (first output). */
  readonly output: string;
  /** The value read as logits. */
  readonly name: string;
  /** 'Softmax' or 'LogSoftmax' when `name` is the input of one on the way to the output; else null. */
  readonly normalizedBy: 'Softmax' | 'LogSoftmax' | null;
}

/** Locates the logits of `graph` (see the module comment). @throws Error when the graph has no output. */
export function findLogits(graph: GraphProto): LogitsLocation {
  const output = graph.output?.[0]?.name;
  if (!output) throw new Error('the graph has no output');
  const producer = new Map<string, NodeLike>();
  for (const node of graph.node ?? []) for (const out of node.output ?? []) if (out) producer.set(out, node as NodeLike);
  let value = output;
  for (let hops = 0; hops < 16; hops++) {
    const node = producer.get(value);
    if (!node) break;
    const op = node.opType ?? '';
    if (op === 'Softmax' || op === 'LogSoftmax') return { output, name: node.input?.[0] ?? output, normalizedBy: op };
    if (!KEEPS_VALUES.has(op) || !node.input?.[0]) break;
    value = node.input[0];
  }
  return { output, name: output, normalizedBy: null };
}

interface NodeLike {
  readonly opType?: string;
  readonly input?: string[];
}
