import type { Graph, Node } from '@rank-collapse/backend';
import type { LayerTap } from './layer-tap.js';

interface WeightSource {
  readonly param: string;
  /** The op sees the param through a Transpose (perm [1, 0]), as some exporters write it. */
  readonly transposed: boolean;
}

/**
 * Discovers the analyzable layers of any graph, in node order: every Gemm or MatMul whose right operand is a
 * rank-2 param (directly, or through an Identity or a 2-D Transpose) and whose left operand is rank-2 data, and
 * every Conv whose kernel is a param. A bias is the op's own bias input when it is a param, else a param added
 * by the single Add that consumes the op's output (shape [m], [1, m], [C, 1, 1] or [1, C, 1, 1]); the
 * pre-activation is then that Add's output. Works on built models and imported ONNX/TF.js graphs alike.
 * Never throws on unfamiliar graphs: ops it does not recognize are skipped.
 */
export function findLayers(graph: Graph): LayerTap[] {
  const params = new Map(graph.params.map((p) => [p.name, p]));
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const o of node.outputs) producer.set(o, node);
    for (const i of node.inputs) {
      if (!i) continue;
      const list = consumers.get(i) ?? [];
      list.push(node);
      consumers.set(i, list);
    }
  }
  const shapeOf = (name: string): readonly (number | string)[] | undefined => graph.values.get(name)?.shape;

  const weightSource = (name: string | undefined): WeightSource | undefined => {
    if (!name) return undefined;
    if (params.has(name)) return { param: name, transposed: false };
    const node = producer.get(name);
    if (!node) return undefined;
    if (node.op === 'Identity') return weightSource(node.inputs[0]);
    if (node.op === 'Transpose' && params.has(node.inputs[0]) && shapeOf(node.inputs[0])?.length === 2) {
      const perm = (node.attrs as { perm?: readonly number[] }).perm;
      if (perm === undefined || (perm[0] === 1 && perm[1] === 0)) return { param: node.inputs[0], transposed: true };
    }
    return undefined;
  };

  // A param of `size` elements added right after the op, broadcasting along the channel/feature axis.
  const followingBias = (output: string, size: number, kind: LayerTap['kind']): { bias: string; preActivation: string } | undefined => {
    const users = consumers.get(output) ?? [];
    if (users.length !== 1 || users[0].op !== 'Add') return undefined;
    const add = users[0];
    const other = add.inputs[0] === output ? add.inputs[1] : add.inputs[0];
    const shape = params.has(other) ? (shapeOf(other) as readonly number[]) : undefined;
    if (!shape) return undefined;
    const ok =
      kind === 'dense'
        ? (shape.length === 1 && shape[0] === size) || (shape.length === 2 && shape[0] === 1 && shape[1] === size)
        : (shape.length === 3 && shape[0] === size && shape[1] === 1 && shape[2] === 1) ||
          (shape.length === 4 && shape[0] === 1 && shape[1] === size && shape[2] === 1 && shape[3] === 1) ||
          (shape.length === 1 && size === 1);
    return ok ? { bias: other, preActivation: add.outputs[0] } : undefined;
  };

  const taps: LayerTap[] = [];
  const usedNames = new Set<string>();
  const nameFor = (weight: string, node: Node): string => {
    let base = weight.endsWith('.weight') ? weight.slice(0, -'.weight'.length) : node.name;
    if (!base) base = weight;
    let name = base;
    for (let k = 2; usedNames.has(name); k++) name = `${base}#${k}`;
    usedNames.add(name);
    return name;
  };

  for (const node of graph.nodes) {
    if (node.op === 'Gemm' || node.op === 'MatMul') {
      const attrs = node.attrs as { transA?: boolean; transB?: boolean };
      const data = node.inputs[0];
      if (attrs.transA || params.has(data) || shapeOf(data)?.length !== 2) continue;
      const source = weightSource(node.inputs[1]);
      if (!source) continue;
      const p = shapeOf(source.param) as readonly number[];
      if (p.length !== 2) continue;
      // z = h·R with R = op(B); R = Pᵀ means the param P is W itself ([m, n]).
      const outIn = source.transposed !== Boolean(attrs.transB);
      const m = outIn ? p[0] : p[1];
      const n = outIn ? p[1] : p[0];
      let bias: string | undefined;
      let preActivation = node.outputs[0];
      const c = node.op === 'Gemm' ? node.inputs[2] : undefined;
      if (c && params.has(c)) bias = c;
      else {
        const following = followingBias(node.outputs[0], m, 'dense');
        if (following) ({ bias, preActivation } = following);
      }
      taps.push({
        name: nameFor(source.param, node),
        kind: 'dense',
        weight: source.param,
        ...(bias !== undefined ? { bias } : {}),
        input: data,
        preActivation,
        weightLayout: outIn ? 'out-in' : 'in-out',
        matrixShape: [m, n],
      });
    } else if (node.op === 'Conv') {
      const kernel = node.inputs[1];
      if (!params.has(kernel)) continue;
      const k = shapeOf(kernel) as readonly number[];
      if (k.length !== 4) continue;
      let bias: string | undefined;
      let preActivation = node.outputs[0];
      const b = node.inputs[2];
      if (b && params.has(b)) bias = b;
      else {
        const following = followingBias(node.outputs[0], k[0], 'conv');
        if (following) ({ bias, preActivation } = following);
      }
      taps.push({
        name: nameFor(kernel, node),
        kind: 'conv',
        weight: kernel,
        ...(bias !== undefined ? { bias } : {}),
        input: node.inputs[0],
        preActivation,
        weightLayout: 'out-in',
        matrixShape: [k[0], k[1] * k[2] * k[3]],
      });
    }
  }
  return taps;
}
