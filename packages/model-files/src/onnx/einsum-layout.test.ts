import { describe, expect, it } from 'vitest';
import { einsumLayout } from './einsum-layout.js';

describe('einsumLayout', () => {
  it('reads output-only labels as rows, summed labels as columns, shared kept labels as batch', () => {
    expect(einsumLayout('bhd,hde->bhe', 1, 2, 3)).toEqual({ kind: 'matrix', rows: [2], cols: [1], batch: [0] });
    expect(einsumLayout('bf, cf -> bc', 1, 2, 2)).toEqual({ kind: 'matrix', rows: [0], cols: [1], batch: [] });
    // Constant first operand: "ij,jk->ik" with A constant is z = A·h, rows i, columns j.
    expect(einsumLayout('ij,jk->ik', 0, 2, 2)).toEqual({ kind: 'matrix', rows: [0], cols: [1], batch: [] });
    // Several summed labels flatten into the columns.
    expect(einsumLayout('bxy,oxy->bo', 1, 2, 3)).toEqual({ kind: 'matrix', rows: [0], cols: [1, 2], batch: [] });
  });

  it('takes the implicit output (labels occurring once, sorted) when there is no "->"', () => {
    // "ij,kj" → output "ik": the constant kj has row k, column j.
    expect(einsumLayout('ij,kj', 1, 2, 2)).toEqual({ kind: 'matrix', rows: [0], cols: [1], batch: [] });
  });

  it('skips operands that are not matrices, and says why', () => {
    expect(einsumLayout('bd,d->b', 1, 2, 1)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/no label of its own/) });
    expect(einsumLayout('bd,de->bde', 1, 2, 2)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/no summed label/) });
    expect(einsumLayout('...d,de->...e', 1, 2, 2)).toMatchObject({ kind: 'matrix' });
    expect(einsumLayout('bd,...de->be', 1, 2, 2)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/ellipsis/) });
    expect(einsumLayout('bi,ii->b', 1, 2, 2)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/diagonal/) });
  });

  it('calls equations that do not fit the node invalid', () => {
    expect(einsumLayout('ij,jk->ik', 1, 3, 2)).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/2 operands for 3 inputs/) });
    expect(einsumLayout('ij,jk->ik', 1, 2, 3)).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/2 labels for a tensor of rank 3/) });
  });
});
