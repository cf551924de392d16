/**
 * Models exported by PyTorch (scripts/make-torch-fixtures.py, committed in __fixtures__) imported into the IR
 * and run on onnxruntime and on the float64 reference backend, against PyTorch's own outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '__fixtures__');
const backend = createOnnxBackend({ ort });
const reference = createReferenceBackend();
const tolerance = { atol: 1e-5, rtol: 1e-4 };

function expected(name: string): { x: HostTensor; y: HostTensor } {
  const json = JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8'));
  const t = (v: { shape: number[]; data: number[] }): HostTensor => ({ dtype: 'float32', shape: v.shape, data: Float32Array.from(v.data) });
  return { x: t(json.x), y: t(json.y) };
}

describe('PyTorch-exported models', () => {
  for (const name of ['small-cnn-opset11', 'small-cnn-opset13', 'mlp-opset9', 'mlp-opset14', 'tiny-resnet-opset17']) {
    it(`${name}: imports, and both backends reproduce PyTorch's output`, async () => {
      const model = await backend.importer!.importModel(join(fixtures, `${name}.onnx`));
      const { x, y } = expected(name);
      const feeds = { [model.graph.inputs[0].name]: x, ...Object.fromEntries(model.params) };
      const out = model.graph.outputs[0];
      expectClose((await runOnce(backend, model.graph, feeds))[out], y, tolerance, `${name} on onnx`);
      expectClose((await runOnce(reference, model.graph, feeds))[out], y, tolerance, `${name} on the reference`);
    });
  }

  it('keeps layer names, turns weights into params with roles, and the dynamic batch into a symbolic dim', async () => {
    const model = await backend.importer!.importModel(join(fixtures, 'small-cnn-opset13.onnx'));
    const roles = Object.fromEntries(model.graph.params.map((p) => [p.name, p.role]));
    expect(roles).toMatchObject({ 'conv1.weight': 'weight', 'conv1.bias': 'bias', 'fc1.weight': 'weight', 'fc1.bias': 'bias', 'fc2.weight': 'weight', 'conv2.weight': 'weight' });
    expect(Object.values(roles)).toEqual(expect.arrayContaining(['norm-scale', 'norm-shift', 'running-mean', 'running-var']));
    const gemm = model.graph.nodes.filter((n) => n.op === 'Gemm').map((n) => n.name);
    expect(gemm).toEqual(expect.arrayContaining([expect.stringMatching(/fc1/), expect.stringMatching(/fc2/)]));
    expect(model.graph.inputs[0].shape[0]).toBe('batch');
    expect(model.params.get('fc1.weight')!.shape).toEqual([16, 6]);
    expect(model.source.notes.some((n) => n.includes('Dropout'))).toBe(false);
  });

  it('runs an imported dynamic-batch model on another batch size', async () => {
    const model = await backend.importer!.importModel(join(fixtures, 'mlp-opset14.onnx'));
    const x: HostTensor = { dtype: 'float32', shape: [5, 1, 4, 4], data: Float32Array.from({ length: 80 }, (_, i) => Math.sin(i)) };
    const feeds = { x, ...Object.fromEntries(model.params) };
    const a = await runOnce(backend, model.graph, feeds);
    const b = await runOnce(reference, model.graph, feeds);
    expect(a.y.shape).toEqual([5, 5]);
    expectClose(a.y, b.y, tolerance, 'batch of 5');
  });
});
