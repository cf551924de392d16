/**
 * Graph surgery on real exported models (the PyTorch MNIST models of packages/analysis): every weight replaced
 * by an exact factorization (W = I·W or W·I, rank min(m, n)) must give the original logits in onnxruntime, and a
 * rank-1 truncation of one layer must change them — so the rewritten nodes are really the ones that run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '@rank-collapse/model-files/onnx';
import { openWeightFile, type WeightMatrix } from '@rank-collapse/model-files';
import { factorizeOnnx, type LayerFactors } from './factorize-onnx.js';

const FIXTURES = join(import.meta.dirname, '../../../analysis/src/__fixtures__/real-models');

function identity(n: number): Float32Array {
  const I = new Float32Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** W = L·R exactly, with the identity on the short side. */
function exactFactors(m: WeightMatrix): LayerFactors {
  const data = Float32Array.from(m.data);
  return m.rows <= m.cols
    ? { node: m.name, rank: m.rows, left: identity(m.rows), right: data }
    : { node: m.name, rank: m.cols, left: data, right: identity(m.cols) };
}

async function logits(bytes: Uint8Array, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
    return Float32Array.from(out[session.outputNames[0]].data as Float32Array);
  } finally {
    await session.release();
  }
}

describe.each(['cnn', 'vit', 'mlp-softmax'])('factorizeOnnx on %s.onnx', (name) => {
  const file = join(FIXTURES, `${name}.onnx`);
  const bytes = new Uint8Array(readFileSync(file));
  const input = decodeModel(bytes).graph!.input![0];
  const shape = input.type!.tensorType!.shape!.dim!.map((d) => (d.dimValue ? Number(d.dimValue) : 3));
  const x = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);

  it('exact factors of every dense and conv weight give the original logits', async () => {
    const matrices: WeightMatrix[] = [];
    for await (const item of (await openWeightFile(file)).items()) if (item.kind === 'matrix' && (item.role === 'dense' || item.role === 'conv')) matrices.push(item);
    const result = factorizeOnnx(bytes, matrices.map(exactFactors), file);
    expect(result.replaced.length).toBeGreaterThan(0);
    expect(result.replaced.length + result.kept.length).toBe(matrices.length);
    const [before, after] = [await logits(bytes, x, shape), await logits(result.bytes, x, shape)];
    const scale = Math.max(...before.map(Math.abs));
    before.forEach((v, i) => expect(Math.abs(after[i] - v), `logit ${i}`).toBeLessThanOrEqual(1e-4 * scale));
  });

  it('a rank-1 factor of one layer changes the logits and shrinks the count', async () => {
    let first: WeightMatrix | undefined;
    for await (const item of (await openWeightFile(file)).items()) if (item.kind === 'matrix' && item.role === 'dense' && item.rows > 1 && item.cols > 1) first ??= item;
    // Rank 1 from the first row: L = e_1 (m×1), R = row 1 of W (1×n) keeps only the first output.
    const left = new Float32Array(first!.rows);
    left[0] = 1;
    const right = Float32Array.from(first!.data.subarray(0, first!.cols));
    const result = factorizeOnnx(bytes, [{ node: first!.name, rank: 1, left, right }], file);
    expect(result.replaced.map((r) => r.node)).toEqual([first!.name]);
    expect(result.paramsAfter).toBe(result.paramsBefore - first!.rows * first!.cols + first!.rows + first!.cols);
    const [before, after] = [await logits(bytes, x, shape), await logits(result.bytes, x, shape)];
    expect(Math.max(...before.map((v, i) => Math.abs(v - after[i])))).toBeGreaterThan(1e-3);
  });
});
