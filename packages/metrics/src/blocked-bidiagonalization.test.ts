import { describe, expect, it } from 'vitest';
import { expectClose, fromFactors, gaussianMatrix, orthonormalColumns, seeded } from '../test/numeric.js';
import cases from './__fixtures__/singular-values.json' with { type: 'json' };
import { bidiagonalSingularValues } from './bidiagonal-singular-values.js';
import { bidiagonalizeWideBlocked } from './blocked-bidiagonalization.js';
import { bidiagonalizeWide } from './householder-bidiagonalization.js';
import { transpose, type Matrix } from './matrix.js';
import { createReductionKernels, type ReductionKernels } from './reduction-kernels.js';
import { createTwoThreadKernels } from './two-thread-kernels.js';

function wide(W: Matrix): Matrix {
  return W.rows > W.cols ? transpose(W) : W;
}

function sigmaOf(W: Matrix, kernels: ReductionKernels, blocked = true): Float64Array {
  const { rows, cols, data } = wide(W);
  const { d, e } = (blocked ? bidiagonalizeWideBlocked : bidiagonalizeWide)(data, rows, cols, kernels);
  kernels.close?.();
  return bidiagonalSingularValues(d, e);
}

describe('bidiagonalizeWideBlocked', () => {
  it.each(cases.flatMap((c) => [[c.name, 'wasm', c] as const, [c.name, 'javascript', c] as const]))(
    'gives LAPACK’s singular values on %s to 1e-14·σ₁ (%s kernels)',
    (_name, kind, c) => {
      const W = { rows: c.matrix.rows, cols: c.matrix.cols, data: Float64Array.from(c.matrix.data) };
      expectClose(sigmaOf(W, createReductionKernels(kind === 'wasm')), c.sigma, { atol: 1e-14 * c.sigma[0], rtol: 0 }, 'sigma');
    },
  );

  it('agrees with the unblocked reduction across block boundaries and with exact zeros', () => {
    const rng = seeded('blocked');
    const diagonal = { rows: 20, cols: 25, data: new Float64Array(500) };
    for (let i = 0; i < 20; i++) diagonal.data[i * 25 + i] = 20 - i;
    const zeroRows = gaussianMatrix(40, 41, rng);
    zeroRows.data.fill(0, 5 * 41, 9 * 41); // rows 5..8 zero: trivial reflectors inside a block
    const matrices: Matrix[] = [diagonal, zeroRows, ...[[15, 15], [16, 16], [17, 30], [33, 33], [48, 70], [97, 101]].map(([m, n]) => gaussianMatrix(m, n, rng))];
    for (const W of matrices) {
      const reference = sigmaOf(W, createReductionKernels(), false);
      for (const kernels of [createReductionKernels(), createReductionKernels(false)]) {
        expectClose(sigmaOf(W, kernels), reference, { atol: 1e-14 * reference[0], rtol: 0 }, `${W.rows}×${W.cols} ${kernels.kind}`);
      }
    }
  });

  it('recovers s of U diag(s) Vᵀ down to 1e-12·σ₁', () => {
    const rng = seeded('blocked-factors');
    const s = Array.from({ length: 50 }, (_, j) => 10 ** (-12 * (j / 49)));
    const W = fromFactors(orthonormalColumns(60, 50, rng), s, orthonormalColumns(75, 50, rng));
    expectClose(sigmaOf(W, createReductionKernels()), [...s, ...new Array(10).fill(0)], { atol: 1e-14, rtol: 0 }, 'sigma');
  });

  it('gives the same values on two threads as on one', () => {
    const rng = seeded('blocked-threads');
    for (const [m, n] of [[300, 400], [301, 333]]) {
      const W = gaussianMatrix(m, n, rng);
      const two = createTwoThreadKernels();
      expect(two).not.toBeNull();
      const one = sigmaOf(W, createReductionKernels());
      expectClose(sigmaOf(W, two!), one, { atol: 1e-13 * one[0], rtol: 0 }, `${m}×${n}`);
    }
  });
});
