/**
 * The ONNX reader against the fixtures of scripts/make-onnx-fixtures.py: models exported by PyTorch and built
 * with onnx.helper, each with the matrices expected from the PyTorch parameters or numpy arrays they came from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectClose } from '@rank-collapse/backend/testing';
import { describe, expect, it } from 'vitest';
import { openWeightFile } from '../open-weight-file.js';
import type { WeightItem, WeightMatrix } from '../weight-matrix.js';
import { openOnnxWeights } from './open-onnx-weights.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '__fixtures__');

interface Expected {
  producer: string | null;
  outputWidth: number | null;
  matrices: { name: string; tensor: string; role: string; op: string; rows: number; cols: number; data: number[] }[];
  skipped: string[];
}

async function read(name: string): Promise<{ items: WeightItem[]; expected: Expected; producer: string | null; outputWidth: number | null }> {
  const file = await openOnnxWeights(join(fixtures, `${name}.onnx`));
  const items: WeightItem[] = [];
  for await (const item of file.items()) items.push(item);
  return { items, expected: JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')), producer: file.producer, outputWidth: file.outputWidth };
}

const matricesOf = (items: WeightItem[]) => items.filter((i): i is { kind: 'matrix' } & WeightMatrix => i.kind === 'matrix');

describe('openOnnxWeights', () => {
  for (const name of ['torch-mlp', 'torch-cnn', 'torch-sequence', 'helper-cases', 'external-data']) {
    it(`${name}: every expected matrix with its role, op and values; nothing else read as a matrix`, async () => {
      const { items, expected, producer, outputWidth } = await read(name);
      const matrices = matricesOf(items);
      expect(matrices.map((m) => m.name).sort()).toEqual(expected.matrices.map((m) => m.name).sort());
      for (const e of expected.matrices) {
        const m = matrices.find((x) => x.name === e.name)!;
        expect({ name: m.name, tensor: m.tensor, role: m.role, op: m.op, rows: m.rows, cols: m.cols }).toEqual({ name: e.name, tensor: e.tensor, role: e.role, op: e.op, rows: e.rows, cols: e.cols });
        expect(m.data.length).toBe(m.rows * m.cols);
        // float32 storage, float64 expectations: dequantized values are rounded to float32 once.
        expectClose(m.data, e.data, { atol: 1e-7, rtol: 1e-6 }, `${name} ${e.name}`);
      }
      const skipped = items.filter((i) => i.kind === 'skipped').map((i) => i.name);
      expect(skipped).toEqual(expect.arrayContaining(expected.skipped));
      expect(producer).toBe(expected.producer);
      expect(outputWidth).toBe(expected.outputWidth);
    });
  }

  it('keeps float64 weights in float64 and widens float16 and bfloat16 to float32, saying so', async () => {
    const matrices = matricesOf((await read('helper-cases')).items);
    const byName = Object.fromEntries(matrices.map((m) => [m.name, m]));
    expect(byName.matmul_double.data).toBeInstanceOf(Float64Array);
    expect(byName.matmul_half.data).toBeInstanceOf(Float32Array);
    expect(byName.matmul_half.note).toMatch(/FLOAT16 values widened to float32/);
    expect(byName.matmul_bf16.note).toMatch(/BFLOAT16/);
    expect(byName.matmul_int8.note).toMatch(/dequantized by DequantizeLinear/);
    expect(byName.qlinear_conv.note).toMatch(/dequantized by QLinearConv "qlinear_conv"/);
    expect(byName.matmul_const.note).toMatch(/through Transpose/);
    expect(byName.gemm_plain.note).toMatch(/transB = 0/);
  });

  it('lists items in file order, a tied tensor once per use, and says why tensors are skipped', async () => {
    const { items } = await read('helper-cases');
    const order = items.map((i) => (i.kind === 'matrix' ? i.tensor : i.name));
    expect(order.indexOf('gemm_b')).toBeLessThan(order.indexOf('half_w'));
    expect(order.indexOf('unused_w')).toBeLessThan(order.indexOf('const_w')); // Constant nodes after the initializers
    expect(matricesOf(items).filter((m) => m.tensor === 'tied_table').map((m) => m.role)).toEqual(['embedding', 'dense']);
    const reasons = Object.fromEntries(items.filter((i) => i.kind === 'skipped').map((i) => [i.name, i.kind === 'skipped' ? i.reason : '']));
    expect(reasons).toMatchObject({
      gemm_c: 'bias of Gemm "gemm_plain"',
      unused_w: 'not used by any node',
      flat_shape: 'shape of Reshape "Reshape_9"',
      q_scale: 'scale of DequantizeLinear "DequantizeLinear_11"',
      ids: 'indices of Gather "embed"',
    });
  });

  it('names each recurrent matrix by direction and gate, and reads PyTorch biases and batch norms as skipped', async () => {
    const { items } = await read('torch-sequence');
    const lstm = matricesOf(items).filter((m) => m.op === 'LSTM').map((m) => m.name);
    expect(lstm.slice(0, 4)).toEqual(['/lstm/LSTM.W.forward.i', '/lstm/LSTM.W.forward.o', '/lstm/LSTM.W.forward.f', '/lstm/LSTM.W.forward.c']);
    const cnn = (await read('torch-cnn')).items;
    const bn = cnn.find((i) => i.name === 'bn.running_var');
    expect(bn).toMatchObject({ kind: 'skipped', shape: [4], reason: expect.stringMatching(/running variance of BatchNormalization/) });
  });

  it('is what openWeightFile returns for .onnx files', async () => {
    const file = await openWeightFile(join(fixtures, 'torch-mlp.onnx'));
    expect(file.format).toBe('onnx');
    const first = (await file.items()[Symbol.asyncIterator]().next()).value as WeightItem;
    expect(first).toMatchObject({ kind: 'matrix', name: '/fc1/Gemm', rows: 8, cols: 12 });
  });

  it('stops between tensors when the signal is aborted', async () => {
    const controller = new AbortController();
    const file = await openOnnxWeights(join(fixtures, 'torch-cnn.onnx'), { signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of file.items()) {
          seen.push(item.name);
          controller.abort(new Error('stop'));
        }
      })(),
    ).rejects.toThrow('stop');
    expect(seen).toHaveLength(1);
  });
});
