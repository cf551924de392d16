import { describe, expect, it } from 'vitest';
import { float32 } from '../../../host-tensor.js';
import { GraphBuilder } from '../../../ir/builder.js';
import type { HostTensor, OpAttrs } from '../../../ir/types.js';
import { expectClose } from '../../expect-close.js';
import { runOnce } from '../../run-once.js';
import { createReferenceBackend } from '../reference-backend.js';

const exact = { atol: 0, rtol: 0 };
const backend = createReferenceBackend();
// A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]
const A = float32([2, 2], [1, 2, 3, 4]);
const B = float32([2, 2], [5, 6, 7, 8]);

async function matmul(a: HostTensor, b: HostTensor, attrs: OpAttrs['MatMul'] = {}) {
  const g = new GraphBuilder('matmul');
  g.output(g.matmul(g.input('a', 'float32', a.shape), g.input('b', 'float32', b.shape), attrs), 'y');
  return (await runOnce(backend, g.build(), { a, b })).y;
}

describe('reference MatMul and Gemm', () => {
  it.each([
    [{}, [19, 22, 43, 50]],
    [{ transA: true }, [26, 30, 38, 44]],
    [{ transB: true }, [17, 23, 39, 53]],
    [{ transA: true, transB: true }, [23, 31, 34, 46]],
  ] as const)('2×2 product with %o', async (attrs, expected) => {
    expectClose(await matmul(A, B, attrs), expected, exact, 'matmul');
  });

  it('broadcasts leading dims: [2, 1, 2, 2] · [3, 2, 1] → [2, 3, 2, 1]', async () => {
    const a = float32([2, 1, 2, 2], [1, 2, 3, 4, 0, 1, 1, 0]);
    const b = float32([3, 2, 1], [1, 0, 0, 1, 1, 1]);
    const y = await matmul(a, b);
    expect(y.shape).toEqual([2, 3, 2, 1]);
    // Batch 0 (A) times e1, e2, 1: columns 1,3 / 2,4 / 3,7; batch 1 ([[0,1],[1,0]]) gives 0,1 / 1,0 / 1,1.
    expectClose(y, [1, 3, 2, 4, 3, 7, 0, 1, 1, 0, 1, 1], exact, 'batched matmul');
  });

  it('Gemm computes alpha·AᵀB + beta·C with C broadcast', async () => {
    const g = new GraphBuilder('gemm');
    const y = g.gemm(g.input('a', 'float32', [2, 2]), g.input('b', 'float32', [2, 2]), g.input('c', 'float32', [2]), { alpha: 2, beta: -1, transA: true });
    g.output(y, 'y');
    const out = await runOnce(backend, g.build(), { a: A, b: B, c: float32([2], [1, 10]) });
    expectClose(out.y, [2 * 26 - 1, 2 * 30 - 10, 2 * 38 - 1, 2 * 44 - 10], exact, 'gemm');
  });
});
