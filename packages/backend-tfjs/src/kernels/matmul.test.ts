/** Both forms of transposed products (transpose the flagged operand, or the other one and the result) vs the reference. */
import { describe, it } from 'vitest';
import { GraphBuilder, createRng, type HostTensor } from '@rank-collapse/backend';
import { checkForwardCase, createReferenceBackend } from '@rank-collapse/backend/testing';
import { createTfjsBackend } from '../create-tfjs-backend.js';
import { loadTfjs } from '../load-tfjs.js';

const { tf } = await loadTfjs({ prefer: ['wasm', 'cpu'] });
const backend = createTfjsBackend({ tf });
const oracle = createReferenceBackend();

function productCase(op: 'MatMul' | 'Gemm', a: number[], b: number[], transA: boolean, transB: boolean) {
  const name = `${op} ${transA ? 'Aᵀ' : 'A'}[${a}]·${transB ? 'Bᵀ' : 'B'}[${b}]`;
  const g = new GraphBuilder('product');
  const rng = createRng(name);
  const feeds: Record<string, HostTensor> = {};
  const input = (n: string, shape: number[]) => {
    feeds[n] = { dtype: 'float32', shape, data: Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()) };
    return g.input(n, 'float32', shape);
  };
  const [x, y] = [input('A', a), input('B', b)];
  g.output(op === 'MatMul' ? g.matmul(x, y, { transA, transB }) : g.gemm(x, y, undefined, { transA, transB, alpha: 0.5 }));
  return { name, graph: g.build(), feeds };
}

const cases = [
  // x·Wᵀ with a large W: computed as (W·xᵀ)ᵀ.
  productCase('Gemm', [3, 40], [50, 40], false, true),
  // Small Bᵀ: transposed directly.
  productCase('MatMul', [30, 40], [2, 40], false, true),
  // gᵀ·h with a small g: transposed directly.
  productCase('Gemm', [3, 5], [3, 60], true, false),
  // Large Aᵀ, small B and result: (Bᵀ·A)ᵀ.
  productCase('MatMul', [4, 70], [4, 2], true, false),
  productCase('Gemm', [6, 5], [7, 6], true, true),
];

describe('transposed products', () => {
  for (const c of cases) it(c.name, () => checkForwardCase(backend, oracle, c));
});
