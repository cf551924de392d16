import { describe, expect, it } from 'vitest';
import { GraphError } from '@rank-collapse/backend';
import type { WeightItem } from '@rank-collapse/model-files';
import { analyzeWeights } from './analyze-weights.js';

/** A matrix with known singular values: diag(σ) padded with zeros, then rows permuted (σ unchanged). */
function knownMatrix(name: string, sigma: number[], cols: number): WeightItem {
  const rows = sigma.length + 1;
  const data = new Float32Array(rows * cols);
  sigma.forEach((s, i) => (data[((i + 1) % rows) * cols + i] = s));
  return { kind: 'matrix', name, tensor: `${name}.weight`, role: 'dense', op: 'MatMul', shape: [cols, rows], rows, cols, data, note: null };
}

const items: WeightItem[] = [
  knownMatrix('fc1', [4, 3, 2, 1], 6),
  { kind: 'skipped', name: 'fc1.bias', shape: [5], reason: 'a bias (1-D)' },
  knownMatrix('head', [2, 1, 0.5], 4),
];

describe('analyzeWeights', () => {
  it('gives one row per matrix with the closed-form spectrum, tails against K from the model', async () => {
    const result = await analyzeWeights({ items: () => items, outputWidth: 2 }, { singularValues: true });
    expect(result.rows.map((r) => r.layer)).toEqual(['fc1', 'head']);
    expect(result.K).toBe(2);
    expect(result.classesFrom).toBe('model');
    const [fc1, head] = result.rows;
    expect(fc1.singularValues).toEqual([4, 3, 2, 1, 0].map((s) => expect.closeTo(s, 12)));
    expect(fc1.rows).toBe(5);
    expect(fc1.cols).toBe(6);
    expect(fc1.frobeniusNorm).toBeCloseTo(Math.sqrt(30), 12);
    expect(fc1.tailK).toBeCloseTo(Math.sqrt(5), 12);
    expect(fc1.relativeTailK).toBeCloseTo(Math.sqrt(5 / 30), 12);
    expect(fc1.numericalRank).toBe(4);
    expect(head.tailK).toBeCloseTo(0.5, 12);
    expect(fc1.inputNc1).toBeNull();
    expect(fc1.normE).toBeNull();
    expect(result.sources[0]).toEqual({ tensor: 'fc1.weight', op: 'MatMul', shape: [6, 5], note: null });
    expect(result.skipped).toEqual([{ name: 'fc1.bias', shape: [5], reason: 'a bias (1-D)' }]);
  });

  it('takes K from the option over the model, and leaves the tails null when K is unknown', async () => {
    const withK = await analyzeWeights({ items: () => items, outputWidth: 2 }, { numClasses: 3 });
    expect(withK.classesFrom).toBe('option');
    expect(withK.rows[0].tailK).toBeCloseTo(1, 12);
    const unknown = await analyzeWeights({ items: () => items, outputWidth: null });
    expect(unknown.K).toBeNull();
    expect(unknown.classesFrom).toBe('unknown');
    expect(unknown.rows[0].K).toBeNull();
    expect(unknown.rows[0].tailK).toBeNull();
    expect(unknown.rows[0].relativeTailK).toBeNull();
    expect(unknown.rows[0].stableRank).toBeCloseTo(30 / 16, 12);
  });

  it('refuses a file with no weight matrix, naming what was skipped', async () => {
    const only = [items[1]];
    await expect(analyzeWeights({ items: () => only, outputWidth: null })).rejects.toThrow(GraphError);
    await expect(analyzeWeights({ items: () => only, outputWidth: null })).rejects.toThrow(/no weight matrix found \(1 tensor skipped: a bias \(1-D\)\)/);
    await expect(analyzeWeights({ items: () => items, outputWidth: null }, { numClasses: 0 })).rejects.toThrow(/numClasses must be a positive integer/);
  });

  it('reads async sources one matrix at a time', async () => {
    const seen: string[] = [];
    async function* stream(): AsyncGenerator<WeightItem> {
      for (const item of items) {
        seen.push(`yield ${item.name}`);
        yield item;
      }
    }
    const result = await analyzeWeights({ items: stream, outputWidth: 2 }, { onMatrix: (m) => seen.push(`analyze ${m.name}`) });
    expect(result.rows).toHaveLength(2);
    expect(seen).toEqual(['yield fc1', 'analyze fc1', 'yield fc1.bias', 'yield head', 'analyze head']);
  });
});
