/**
 * MatMul and Gemm. Transpose flags become an explicit `tf.transpose` before a plain matMul: on the wasm
 * backend matMul with transposeA/transposeB is many times slower than transposing first (measured).
 */
import { broadcastShapes, type OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import type { Kernel } from './kernel.js';

/** Swaps the last two dims. */
export function transposeLastTwo(tf: Tf, x: TfTensor): TfTensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** Plain matMul with leading dims broadcast (numpy rules), run as one batched matMul of rank 3. */
export function plainMatMul(tf: Tf, a: TfTensor, b: TfTensor): TfTensor {
  if (a.rank === 2 && b.rank === 2) return tf.matMul(a, b);
  const lead = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'MatMul') as number[];
  const batch = lead.reduce((p, d) => p * d, 1);
  const [m, k] = a.shape.slice(-2) as number[];
  const n = b.shape[b.rank - 1] as number;
  // tfjs broadcasts batch dims only in simple cases; expanding explicitly covers all of numpy's rules.
  const flat = (t: TfTensor, rows: number, cols: number) => {
    const full = [...lead, rows, cols];
    const same = t.rank === full.length && t.shape.every((d, i) => d === full[i]);
    return tf.reshape(same ? t : tf.broadcastTo(t, full), [batch, rows, cols]);
  };
  return tf.reshape(tf.matMul(flat(a, m, k), flat(b, k, n)), [...lead, m, n]);
}

/**
 * op(A)·op(B) for 2-D A, B with explicit transposes, choosing the cheaper of two equivalent forms:
 * A·Bᵀ directly (transpose B) or as (B·Aᵀ)ᵀ (transpose A and the result), likewise for Aᵀ·B. Transposing a
 * large weight costs more than the matMul on wasm, so x·Wᵀ with a small batch goes through (W·xᵀ)ᵀ.
 */
export function matMul2d(tf: Tf, a: TfTensor, b: TfTensor, transA: boolean, transB: boolean): TfTensor {
  if (transA === transB) {
    return transA ? tf.transpose(tf.matMul(b, a)) : tf.matMul(a, b);
  }
  const y = (a.shape[transA ? 1 : 0] as number) * (b.shape[transB ? 0 : 1] as number);
  const flagged = transA ? a : b;
  const other = transA ? b : a;
  if (flagged.size <= other.size + y) return transA ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, tf.transpose(b));
  // A·Bᵀ = (B·Aᵀ)ᵀ and Aᵀ·B = (Bᵀ·A)ᵀ.
  return tf.transpose(transA ? tf.matMul(tf.transpose(b), a) : tf.matMul(b, tf.transpose(a)));
}

export const matmulKernels: Record<string, Kernel> = {
  MatMul: ({ tf, values }, node) => {
    const { transA = false, transB = false } = node.attrs as OpAttrs['MatMul'];
    let a = values.get(node.inputs[0]);
    let b = values.get(node.inputs[1]);
    if (a.rank === 2 && b.rank === 2) {
      values.set(node.outputs[0], matMul2d(tf, a, b, transA, transB));
      return;
    }
    if (transA) a = transposeLastTwo(tf, a);
    if (transB) b = transposeLastTwo(tf, b);
    values.set(node.outputs[0], plainMatMul(tf, a, b));
  },
  Gemm: ({ tf, values }, node) => {
    const { transA = false, transB = false, alpha = 1, beta = 1 } = node.attrs as OpAttrs['Gemm'];
    let y = matMul2d(tf, values.get(node.inputs[0]), values.get(node.inputs[1]), transA, transB);
    if (alpha !== 1) y = tf.mul(y, tf.scalar(alpha));
    const c = node.inputs[2];
    if (c) {
      const ct = values.get(c);
      y = tf.add(y, beta === 1 ? ct : tf.mul(ct, tf.scalar(beta)));
    }
    values.set(node.outputs[0], y);
  },
};
