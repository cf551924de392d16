/** Gradient rules of MatMul (transposes, batched with broadcast leading dims) and Gemm (alpha, beta, broadcast C). */
import { dy0, input, type RuleTable } from './rule.js';

export const linearAlgebraRules: RuleTable = {
  MatMul: (c) => {
    const [a, b] = [input(c, 0), input(c, 1)];
    const { transA = false, transB = false } = c.node.attrs;
    const g = dy0(c);
    // With A' = op(A), B' = op(B): dA' = dY·B'ᵀ and dB' = A'ᵀ·dY, each written as one MatMul with flags.
    const da = c.needs[0] ? (transA ? c.e.op('MatMul', [b, g], { transA: transB, transB: true }) : c.e.op('MatMul', [g, b], { transB: !transB })) : undefined;
    const db = c.needs[1] ? (transB ? c.e.op('MatMul', [g, a], { transA: true, transB: transA }) : c.e.op('MatMul', [a, g], { transA: !transA })) : undefined;
    // Broadcast leading (batch) dims are summed back.
    return [da && c.e.unbroadcast(da, a.shape), db && c.e.unbroadcast(db, b.shape)];
  },
  Gemm: (c) => {
    const [a, b] = [input(c, 0), input(c, 1)];
    const { alpha = 1, beta = 1, transA = false, transB = false } = c.node.attrs;
    const g = dy0(c);
    const da = c.needs[0] ? (transA ? c.e.op('Gemm', [b, g], { alpha, transA: transB, transB: true }) : c.e.op('Gemm', [g, b], { alpha, transB: !transB })) : undefined;
    const db = c.needs[1] ? (transB ? c.e.op('Gemm', [g, a], { alpha, transA: true, transB: transA }) : c.e.op('Gemm', [a, g], { alpha, transA: !transA })) : undefined;
    const cIn = c.inputs[2];
    const dc = c.needs[2] && cIn ? c.e.unbroadcast(c.e.scale(g, beta), cIn.shape) : undefined;
    return [da, db, dc];
  },
};
