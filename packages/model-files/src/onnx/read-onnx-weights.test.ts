/**
 * readOnnxWeights against the fixtures of scripts/onnx-fixtures.py: models exported by torch.onnx.export and
 * built with onnx.helper, each with a reference JSON whose matrices (names, roles, shapes, singular values by
 * numpy.linalg.svd) come from the PyTorch parameters or numpy arrays the models were made from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatrix, singularValues } from '@rank-collapse/metrics';
import { describe, expect, it } from 'vitest';
import type { WeightItem, WeightMatrix } from '../weight-matrix.js';
import { readOnnxWeights } from './read-onnx-weights.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '__fixtures__');

interface Reference {
  producer: string | null;
  outputWidth: number | null;
  matrices: { name: string; role: string; rows: number; cols: number; singularValues: number[] }[];
  skipped: string[];
}

async function collect(stem: string) {
  const file = await readOnnxWeights(join(fixtures, `${stem}.onnx`), {});
  const items: WeightItem[] = [];
  for await (const item of file.items()) items.push(item);
  const reference = JSON.parse(readFileSync(join(fixtures, `${stem}.json`), 'utf8')) as Reference;
  return { file, items, reference };
}

const matrices = (items: WeightItem[]) => items.filter((i): i is { kind: 'matrix' } & WeightMatrix => i.kind === 'matrix');

describe('readOnnxWeights on exported and hand-built models', () => {
  for (const stem of ['transformer', 'recurrent', 'conv-net', 'embedding', 'quantized', 'if-branches', 'einsum', 'folding']) {
    it(`${stem}: the reference matrices (role, shape, singular values within 1e-6·σ₁), the skipped tensors, producer and output width`, async () => {
      const { file, items, reference } = await collect(stem);
      const found = matrices(items);
      expect(found.map((m) => m.name).sort()).toEqual(reference.matrices.map((m) => m.name).sort());
      for (const expected of reference.matrices) {
        const m = found.find((x) => x.name === expected.name)!;
        expect({ name: m.name, role: m.role, rows: m.rows, cols: m.cols }).toEqual({ name: expected.name, role: expected.role, rows: expected.rows, cols: expected.cols });
        expect(m.data.length).toBe(m.rows * m.cols);
        const sigma = singularValues(createMatrix(m.rows, m.cols, m.data));
        const scale = expected.singularValues[0];
        expect(sigma.length).toBe(expected.singularValues.length);
        sigma.forEach((s, j) => expect(Math.abs(s - expected.singularValues[j]), `${m.name} σ${j + 1}`).toBeLessThanOrEqual(1e-6 * scale));
      }
      const skipped = items.filter((i) => i.kind === 'skipped');
      expect(skipped.map((s) => s.name).sort()).toEqual([...reference.skipped].sort());
      for (const s of skipped) expect(s.kind === 'skipped' && s.reason.length).toBeGreaterThan(0);
      expect(file.producer).toBe(reference.producer);
      expect(file.outputWidth).toBe(reference.outputWidth);
      expect(file.format).toBe('onnx');
    });
  }

  it('names recurrent gates by direction and the ONNX gate order, and says how each was read', async () => {
    const { items } = await collect('recurrent');
    const names = matrices(items).map((m) => m.name);
    const gru = names.filter((n) => n.includes('.reverse.'));
    expect(gru.length).toBe(6);
    expect(gru.map((n) => n.split('.reverse.')[1])).toEqual(['W.z', 'W.r', 'W.h', 'R.z', 'R.r', 'R.h']);
    expect(names.filter((n) => /\.W\.[iofc]$/.test(n)).map((n) => n.slice(-1))).toEqual(['i', 'o', 'f', 'c']);
  });

  it('gives reasons: biases, quantization scales, shape operands, run-time weights', async () => {
    const reasons = new Map<string, string>();
    for (const stem of ['quantized', 'folding', 'conv-net']) for (const i of (await collect(stem)).items) if (i.kind === 'skipped') reasons.set(i.name, i.reason);
    expect(reasons.get('w1_scale')).toMatch(/quantization scale of DequantizeLinear/);
    expect(reasons.get('w2_zero')).toMatch(/zero point of B of QLinearMatMul/);
    expect(reasons.get('shape_bias')).toMatch(/target shape operand of Reshape/);
    expect(reasons.get('bias')).toMatch(/elementwise operand of Add/);
    expect(reasons.get('runtime_weight')).toMatch(/weight is computed at run time: computed by Mul node "scale_r"/);
    expect([...reasons.values()].some((r) => /^bias of ConvTranspose/.test(r))).toBe(true);
  });

  it('notes grouped, depthwise and transposed kernels and dequantization', async () => {
    const conv = matrices((await collect('conv-net')).items);
    expect(conv.map((m) => m.note)).toEqual([
      expect.stringMatching(/^transposed-convolution kernel \[4,6,3,3\]/),
      expect.stringMatching(/^grouped convolution \(group 2\)/),
      expect.stringMatching(/^depthwise convolution \(group 8\)/),
      expect.stringMatching(/^transposed-convolution kernel \(group 2\)/),
    ]);
    const quantized = matrices((await collect('quantized')).items);
    expect(quantized.map((m) => m.note)).toEqual([
      expect.stringMatching(/dequantized from INT8 \(per-axis scales along axis 1\)/),
      expect.stringMatching(/dequantized \(per index of axis 1\)/),
      expect.stringMatching(/zero point subtracted .*not included/),
    ]);
  });

  it('yields lazily and stops between items when the signal aborts', async () => {
    const controller = new AbortController();
    const file = await readOnnxWeights(join(fixtures, 'recurrent.onnx'), { signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of file.items()) {
          seen.push(item.name);
          if (seen.length === 2) controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen.length).toBe(2);
  });
});
