/**
 * Real TF.js Graph models from an npm package (@vladmandic/human@3.3.6: antispoof with float16 quantization,
 * emotion with depthwise convs, liveness), against the numpy reference of scripts/tfjs-real-models.py: the same
 * kernels with the same shapes, Frobenius norms and largest singular values. Fetched once into a cache outside
 * the repo (see __fixtures__/npm-model-cache.ts); skipped with the reason when neither cache nor registry is there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@rank-collapse/backend/testing';
import { createMatrix, frobeniusNormOf, singularValues } from '@rank-collapse/metrics';
import { openWeightFile } from '../open-weight-file.js';
import type { WeightItem } from '../weight-matrix.js';
import { npmPackageFiles } from './__fixtures__/npm-model-cache.js';

interface Reference {
  package: string;
  models: Record<string, { weights: number; matrices: { tensor: string; op: string; rows: number; cols: number; frobenius: number; top: number[] }[] }>;
}
const reference = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'real-models.json'), 'utf8')) as Reference;
const MODELS = Object.keys(reference.models);
const fetched = npmPackageFiles('@vladmandic/human', '3.3.6', MODELS.flatMap((m) => [`models/${m}.json`, `models/${m}.bin`]));
if ('skip' in fetched) console.warn(`real-models.test.ts skipped: ${fetched.skip}`);
/** What the models are for: antispoof one real/fake score (sigmoid), liveness two classes, emotion ends in a conv and a mean (no matrix product). */
const OUTPUT_WIDTH: Record<string, number | null> = { antispoof: 1, liveness: 2, emotion: null };

describe.skipIf('skip' in fetched)(`real TF.js Graph models (@vladmandic/human@3.3.6)${'skip' in fetched ? `: skipped, ${fetched.skip}` : ''}`, () => {
  it.each(MODELS)('%s', async (model) => {
    const dir = (fetched as { dir: string }).dir;
    const file = await openWeightFile(join(dir, 'models', `${model}.json`));
    expect(file.format).toBe('tfjs-graph');
    expect(file.outputWidth).toBe(OUTPUT_WIDTH[model]);
    const items: WeightItem[] = [];
    for await (const item of file.items()) items.push(item);
    const want = reference.models[model];
    expect(items).toHaveLength(want.weights);
    const matrices = items.flatMap((i) => (i.kind === 'matrix' ? [i] : []));
    expect(matrices.map((m) => [m.tensor, m.op, m.rows, m.cols])).toEqual(want.matrices.map((m) => [m.tensor, m.op, m.rows, m.cols]));
    for (const [k, m] of matrices.entries()) {
      const W = createMatrix(m.rows, m.cols, m.data);
      const sigma = singularValues(W);
      const { top, frobenius } = want.matrices[k];
      expectClose(sigma.subarray(0, top.length), top, { atol: 1e-6 * top[0], rtol: 0 }, `${model} ${m.name} largest singular values`);
      expectClose(frobeniusNormOf(W), frobenius, { atol: 0, rtol: 1e-9 }, `${model} ${m.name} Frobenius norm`);
    }
    // Everything else is a skipped item with a reason (biases, fused-op arguments, int32 shapes).
    for (const i of items) if (i.kind === 'skipped') expect(i.reason.length, i.name).toBeGreaterThan(10);
  });
});
