/** openTfjsGraphWeights(): the weight matrices of a TF.js Graph model (`format: "graph-model"`), roles from the ops that read them. */
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { planGraphWeight } from './graph-kernels.js';
import { boolAttr, GraphTopology, type GraphNode } from './graph-topology.js';
import { isObject, readModelJson } from './read-model-json.js';
import type { TfjsWeightSpec } from './tfjs-manifest.js';
import { openTfjsShards, type TfjsWeightEntry } from './tfjs-shards.js';
import { planItems } from './plan-items.js';

/** Ops an output passes through on its way back to the last matrix product (width unchanged). */
const PASS_THROUGH = new Set(['Identity', 'Snapshot', 'StopGradient', 'Softmax', 'Sigmoid', 'Relu', 'Relu6', 'Tanh', 'Elu', 'Selu', 'LeakyRelu', 'BiasAdd', 'Add', 'AddV2', 'Reshape', 'Squeeze']);
const PRODUCTS = new Set(['MatMul', '_FusedMatMul', 'BatchMatMul', 'BatchMatMulV2', 'BatchMatMulV3']);

/**
 * Opens a TF.js Graph model.json for its weights. Every manifest weight becomes an item, in manifest order; a
 * weight is a matrix when an op reads it as a kernel — MatMul/_FusedMatMul (transpose_a/transpose_b),
 * BatchMatMul(V2) (adj_x/adj_y; one matrix per batch slice), Conv2D/_FusedConv2D/Conv3D, DepthwiseConv2dNative
 * and its fused form, Conv2DBackpropInput, a two-operand Einsum, GatherV2/ResourceGather (embedding) — looking
 * through Identity nodes; the matrix is named after that op. Other weights are skipped with the ops that read them.
 * `outputWidth` is the width of the matrix product behind the graph's single output (through activations,
 * BiasAdd, Reshape), else null.
 * @throws ModelFileError naming `file` (and the weight or op): not a graph model, a malformed manifest, a shard
 *   outside the model's folder, missing or of the wrong size, a kernel whose rank does not fit its op.
 */
export async function openTfjsGraphWeights(file: string, options: ReadWeightsOptions = {}): Promise<WeightFile> {
  const { root, groups, producer } = await readModelJson(file);
  if (root.format !== undefined && root.format !== 'graph-model') throw new ModelFileError(file, `has format ${JSON.stringify(root.format)}; expected "graph-model"`);
  const topology = new GraphTopology(file, root.modelTopology);
  const shards = await openTfjsShards(file, groups);
  const byName = new Map<string, TfjsWeightEntry>();
  for (const entry of shards.entries) byName.set(entry.spec.name.replace(/:0$/, ''), entry);

  // Gather axes are scalar constants, in the manifest or inline in the node: read before planning.
  const ints = new Map<string, number>();
  for (const node of topology.nodes.values()) {
    const axis = node.op === 'GatherV2' ? topology.sourceOf(node, 2) : undefined;
    if (!axis || ints.has(axis.name)) continue;
    const value = await constInt(axis, byName.get(axis.name), shards.read);
    if (value !== undefined) ints.set(axis.name, value);
  }
  const ctx = { file, topology, constInt: (node: GraphNode) => ints.get(node.name) };
  const plans = shards.entries.map((entry) => planGraphWeight(ctx, entry.spec));

  async function* items(): AsyncGenerator<WeightItem> {
    // Names are op names; an op reading two constant kernels would give one name twice.
    const used = new Set<string>();
    const unique = (name: string) => {
      let out = name;
      for (let n = 2; used.has(out); n++) out = `${name}#${n}`;
      used.add(out);
      return out;
    };
    yield* planItems(shards, plans, options.signal, unique);
  }
  return { file, format: 'tfjs-graph', producer, outputWidth: outputWidth(topology, byName, root.signature), items };
}

async function constInt(node: GraphNode, entry: TfjsWeightEntry | undefined, read: (e: TfjsWeightEntry) => Promise<unknown>): Promise<number | undefined> {
  if (entry) {
    if (entry.spec.dtype !== 'int32' || entry.spec.shape.reduce((a, d) => a * d, 1) !== 1) return undefined;
    return ((await read(entry)) as Int32Array)[0];
  }
  const tensor = isObject(node.attr.value) && isObject(node.attr.value.tensor) ? node.attr.value.tensor : undefined;
  const list = tensor?.intVal ?? tensor?.int64Val;
  return Array.isArray(list) && list.length === 1 ? Number(list[0]) : undefined;
}

function outputWidth(topology: GraphTopology, weights: ReadonlyMap<string, TfjsWeightEntry>, signature: unknown): number | null {
  const outputs = topology.outputs(signature);
  if (outputs.length !== 1) return null;
  const weightOf = (node: GraphNode, index: number): TfjsWeightSpec | undefined => {
    const source = topology.sourceOf(node, index);
    return source ? weights.get(source.name)?.spec : undefined;
  };
  let node: GraphNode | undefined = outputs[0];
  for (let hops = 0; node && hops <= topology.nodes.size; hops++) {
    if (PRODUCTS.has(node.op)) {
      const index = [1, 0].find((i) => (weightOf(node!, i)?.shape.length ?? 0) >= 2);
      if (index === undefined) return null;
      const shape = weightOf(node, index)!.shape;
      const batched = node.op.startsWith('Batch');
      const transposed = boolAttr(node, batched ? (index === 0 ? 'adj_x' : 'adj_y') : index === 0 ? 'transpose_a' : 'transpose_b');
      const r = shape.length - 2;
      return (index === 1) !== transposed ? shape[r + 1] : shape[r];
    }
    if (!PASS_THROUGH.has(node.op)) return null;
    // Follow the one input that is not a weight (an added bias or a reshape's shape is one).
    const current: GraphNode = node;
    const data = current.inputs.map((_, i) => i).filter((i) => !weightOf(current, i) && topology.sourceOf(current, i)?.op !== 'Const');
    if (data.length !== 1) return null;
    node = topology.sourceOf(current, data[0]);
  }
  return null;
}
