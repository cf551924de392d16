/**
 * Folds elementwise work into Gemm, whose kernel applies Y = alpha·A·B + beta·C in one pass:
 *   Add(Gemm(A, B), C)        → Gemm(A, B, C)            (Gemm without C, C of the output's shape)
 *   Add(Gemm(A, B), Mul(s, C)) → Gemm(A, B, C, beta = s)  (s a scalar constant)
 *   Mul(s, Gemm(A, B, C))     → Gemm(alpha·s, beta·s)
 * This is the shape of an SGD update, V' = μV + G + λW with G = dZᵀ·H: two full passes over every weight
 * matrix disappear per step. Only Gemm outputs read once (and not graph outputs) are rewritten; Identity
 * nodes in between (how the autodiff names gradients) are bypassed first.
 *
 * It pays only on one intra-op thread. onnxruntime's Gemm first copies C into its output on one thread, while
 * the separate Mul and Add run on all of them, so folding is faster on one thread and slower on two (measured
 * on the MLP training step: docs/performance.md, “Measurements behind choices in the code”). The backend therefore folds only when it runs single-threaded.
 */
import type { Graph } from '@rank-collapse/backend';
import { ONNX_DTYPE, type AttributeProto, type NodeProto } from '@rank-collapse/model-files/onnx';
import { floatAttr } from './attributes.js';

/** Rewrites `nodes` in place and drops nodes whose outputs nobody reads. */
export function fuseGemmEpilogues(nodes: NodeProto[], graph: Graph, graphOutputs: ReadonlySet<string>): NodeProto[] {
  let current = bypassIdentities(nodes, graphOutputs);
  for (let changed = true; changed; ) {
    changed = false;
    const producer = new Map<string, NodeProto>();
    const uses = new Map<string, number>();
    for (const n of current) {
      for (const o of n.output ?? []) producer.set(o, n);
      for (const i of n.input ?? []) uses.set(i, (uses.get(i) ?? 0) + 1);
    }
    const soleGemm = (value: string): NodeProto | undefined => {
      const p = producer.get(value);
      return p?.opType === 'Gemm' && uses.get(value) === 1 && !graphOutputs.has(value) ? p : undefined;
    };
    const scalarOf = (value: string): number | undefined => constantScalar(producer.get(value));
    const sameShape = (a: string, b: string): boolean => {
      const ta = graph.values.get(a);
      const tb = graph.values.get(b);
      return !!ta && !!tb && ta.shape.length === 2 && ta.shape.length === tb.shape.length && ta.shape.every((d, i) => d === tb.shape[i]);
    };
    for (const node of current) {
      const [a, b] = node.input ?? [];
      if (node.opType === 'Add' && (node.input ?? []).length === 2) {
        for (const [g, other] of [[a, b], [b, a]]) {
          const gemm = soleGemm(g);
          if (!gemm || (gemm.input ?? []).length !== 2 || !sameShape(other, g)) continue;
          const scaled = producer.get(other);
          const s = scaled?.opType === 'Mul' ? (scalarOf(scaled.input![0]) ?? scalarOf(scaled.input![1])) : undefined;
          const c = s === undefined ? other : scalarOf(scaled!.input![0]) !== undefined ? scaled!.input![1] : scaled!.input![0];
          if (s !== undefined && !sameShape(c, g)) continue;
          setAttr(gemm, 'beta', s ?? 1);
          replaceBy(node, gemm, [...gemm.input!, c]);
          changed = true;
          break;
        }
      } else if (node.opType === 'Mul' && (node.input ?? []).length === 2) {
        for (const [sv, g] of [[a, b], [b, a]]) {
          const s = scalarOf(sv);
          const gemm = s === undefined ? undefined : soleGemm(g);
          if (!gemm) continue;
          setAttr(gemm, 'alpha', attr(gemm, 'alpha', 1) * s!);
          if ((gemm.input ?? []).length === 3) setAttr(gemm, 'beta', attr(gemm, 'beta', 1) * s!);
          replaceBy(node, gemm, [...gemm.input!]);
          changed = true;
          break;
        }
      }
      if (changed) break;
    }
    if (changed) current = dropDead(current.filter((n) => n.opType !== 'Fused'), graphOutputs);
  }
  return current;
}

/**
 * Turns the epilogue node into the fused Gemm, in the epilogue's place (every input, C included, is computed
 * before it, so the node list stays topologically sorted), and marks the original Gemm for removal.
 */
function replaceBy(epilogue: NodeProto, gemm: NodeProto, inputs: string[]): void {
  epilogue.opType = 'Gemm';
  epilogue.name = gemm.name;
  epilogue.input = inputs;
  epilogue.attribute = [...(gemm.attribute ?? [])];
  gemm.opType = 'Fused';
}

function attr(node: NodeProto, name: string, fallback: number): number {
  return node.attribute?.find((a) => a.name === name)?.f ?? fallback;
}

function setAttr(node: NodeProto, name: string, value: number): void {
  const rest: AttributeProto[] = (node.attribute ?? []).filter((a) => a.name !== name);
  node.attribute = [...rest, floatAttr(name, value)];
}

/** The value of a Constant node holding one float32, else undefined. */
function constantScalar(node: NodeProto | undefined): number | undefined {
  if (node?.opType !== 'Constant') return undefined;
  const t = node.attribute?.find((a) => a.name === 'value')?.t;
  if (!t || t.dataType !== ONNX_DTYPE.FLOAT || !t.rawData || t.rawData.byteLength !== 4) return undefined;
  return new DataView(t.rawData.buffer, t.rawData.byteOffset, 4).getFloat32(0, true);
}

/**
 * Drops Identity nodes that are not graph outputs, their readers reading the Identity's input instead. The
 * autodiff names each gradient through an Identity, which would otherwise hide the Gemm behind the update's Add.
 */
function bypassIdentities(nodes: NodeProto[], graphOutputs: ReadonlySet<string>): NodeProto[] {
  const alias = new Map<string, string>();
  for (const n of nodes) {
    if (n.opType === 'Identity' && n.input?.length === 1 && n.output?.length === 1 && !graphOutputs.has(n.output[0])) {
      alias.set(n.output[0], alias.get(n.input[0]) ?? n.input[0]);
    }
  }
  if (alias.size === 0) return nodes;
  return nodes
    .filter((n) => !(n.opType === 'Identity' && alias.has(n.output![0])))
    .map((n) => {
      if (n.input?.some((i) => alias.has(i))) n.input = n.input.map((i) => alias.get(i) ?? i);
      return n;
    });
}

/** Removes nodes none of whose outputs is read or a graph output, repeatedly. */
function dropDead(nodes: NodeProto[], graphOutputs: ReadonlySet<string>): NodeProto[] {
  let live = nodes;
  for (;;) {
    const read = new Set(live.flatMap((n) => n.input ?? []));
    const next = live.filter((n) => (n.output ?? []).some((o) => read.has(o) || graphOutputs.has(o)));
    if (next.length === live.length) return live;
    live = next;
  }
}
