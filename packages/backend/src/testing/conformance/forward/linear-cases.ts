/** Forward cases of MatMul and Gemm: transposes, batching and broadcasting of leading dims, bias shapes. */
import type { OpAttrs } from '../../../ir/types.js';
import { forwardCase } from '../forward-case-builder.js';
import type { ForwardCase } from '../types.js';

const matmul = (label: string, a: readonly (number | string)[], b: readonly number[], attrs: OpAttrs['MatMul'], feedA?: readonly number[]): ForwardCase =>
  forwardCase(`MatMul: ${label}`, (c, g) => g.matmul(c.input('A', a, 'normal', feedA), c.input('B', b), attrs));

const gemm = (label: string, a: readonly number[], b: readonly number[], cShape: readonly number[] | undefined, attrs: OpAttrs['Gemm']): ForwardCase =>
  forwardCase(`Gemm: ${label}`, (c, g) => g.gemm(c.input('A', a), c.param('B', b), cShape && c.param('C', cShape), attrs));

export function linearCases(): ForwardCase[] {
  return [
    matmul('2-D', [3, 5], [5, 4], {}),
    matmul('transA', [5, 3], [5, 4], { transA: true }),
    matmul('transB', [3, 5], [4, 5], { transB: true }),
    matmul('transA and transB', [5, 3], [4, 5], { transA: true, transB: true }),
    matmul('inner dim 64 (accumulation)', [4, 64], [64, 6], {}),
    matmul('symbolic batch rows', ['N', 6], [6, 3], {}, [7, 6]),
    matmul('batched 3-D times 2-D', [2, 3, 4], [4, 5], {}),
    matmul('batched 2-D times 3-D with transB', [3, 4], [2, 5, 4], { transB: true }),
    matmul('broadcast leading dims [2,1]·[3]', [2, 1, 3, 4], [3, 4, 2], {}),
    matmul('batched transA', [2, 4, 3], [2, 4, 5], { transA: true }),
    gemm('no C', [3, 4], [4, 5], undefined, {}),
    gemm('C row vector', [3, 4], [4, 5], [5], {}),
    gemm('C full matrix', [3, 4], [4, 5], [3, 5], {}),
    gemm('C column [m, 1]', [3, 4], [4, 5], [3, 1], {}),
    gemm('C scalar', [3, 4], [4, 5], [], {}),
    gemm('transB (dense layer layout)', [6, 8], [5, 8], [5], { transB: true }),
    gemm('transA, alpha 0.5, beta −2', [4, 3], [4, 5], [5], { transA: true, alpha: 0.5, beta: -2 }),
    gemm('transA and transB, alpha 3', [4, 3], [5, 4], [3, 5], { transA: true, transB: true, alpha: 3, beta: 1 }),
  ];
}
