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

export const matmulKernels: Record<string, Kernel> = {
  MatMul: ({ tf, values }, node) => {
    const { transA, transB } = node.attrs as OpAttrs['MatMul'];
    let a = values.get(node.inputs[0]);
    let b = values.get(node.inputs[1]);
    if (transA) a = transposeLastTwo(tf, a);
    if (transB) b = transposeLastTwo(tf, b);
    values.set(node.outputs[0], plainMatMul(tf, a, b));
  },
  Gemm: ({ tf, values }, node) => {
    const { transA, transB, alpha = 1, beta = 1 } = node.attrs as OpAttrs['Gemm'];
    let a = values.get(node.inputs[0]);
    let b = values.get(node.inputs[1]);
    if (transA) a = transposeLastTwo(tf, a);
    if (transB) b = transposeLastTwo(tf, b);
    let y = tf.matMul(a, b);
    if (alpha !== 1) y = tf.mul(y, tf.scalar(alpha));
    const c = node.inputs[2];
    if (c) {
      const ct = values.get(c);
      y = tf.add(y, beta === 1 ? ct : tf.mul(ct, tf.scalar(beta)));
    }
    values.set(node.outputs[0], y);
  },
};
