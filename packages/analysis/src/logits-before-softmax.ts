/**
 * The logits of an IR classifier graph: its first output, or — when that output is produced by Softmax or
 * LogSoftmax (possibly followed by value-keeping Reshape/Flatten/Squeeze/Identity/Cast) — that op's input, so that the loss and δ
 * are computed on logits rather than on probabilities. The argmax, hence the accuracy, is the same either way.
 */
import type { Graph } from '@rank-collapse/backend';

const KEEPS_VALUES = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Cast']);

export interface GraphLogits {
  /** Value to read as logits. */
  readonly name: string;
  /** The normalization the graph applies after it on the way to its output, or null. */
  readonly normalizedBy: 'Softmax' | 'LogSoftmax' | null;
}

/** Finds the logits of `graph` (see the module comment). A Softmax whose input is not [N, K] is left in place. */
export function logitsBeforeSoftmax(graph: Graph): GraphLogits {
  const output = graph.outputs[0];
  const producer = new Map(graph.nodes.flatMap((node) => node.outputs.map((o) => [o, node] as const)));
  let value = output;
  for (let hops = 0; hops < 16; hops++) {
    const node = producer.get(value);
    if (!node) break;
    if (node.op === 'Softmax' || node.op === 'LogSoftmax') {
      const input = node.inputs[0];
      if (graph.values.get(input)?.shape.length === 2) return { name: input, normalizedBy: node.op };
      break;
    }
    if (!KEEPS_VALUES.has(node.op)) break;
    value = node.inputs[0];
  }
  return { name: output, normalizedBy: null };
}
