/** Exported `.onnx` files load in onnxruntime as they are and reproduce the graph's outputs; import round trip. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, createRng, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';

const dir = mkdtempSync(join(tmpdir(), 'onnx-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const backend = createOnnxBackend({ ort });
const reference = createReferenceBackend();
const within = { atol: 1e-5, rtol: 1e-5 };
const rng = createRng('onnx-export-test');
const random = (shape: number[], scale = 1): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => scale * rng.normal()) });

/** A small conv net with a low-rank factorized dense layer (W ≈ U·V), the shape of a compressed model. */
function compressedModel() {
  const g = new GraphBuilder('compressed-cnn');
  const x = g.input('x', 'float32', ['N', 1, 6, 6]);
  const conv = g.relu(g.conv(x, g.param('conv.weight', [3, 1, 3, 3], 'weight'), g.param('conv.bias', [3], 'bias'), { pads: [1, 1, 1, 1] }, { name: 'conv' }));
  const pooled = g.flatten(g.maxPool(conv, { kernelShape: [2, 2], strides: [2, 2] }));
  const v = g.matmul(pooled, g.param('dense.V', [2, 27], 'weight'), { transB: true }, { name: 'dense.project' });
  const y = g.gemm(v, g.param('dense.U', [4, 2], 'weight'), g.param('dense.bias', [4], 'bias'), { transB: true }, { name: 'dense.expand' });
  g.output(g.softmax(y), 'y');
  const params = new Map<string, HostTensor>([
    ['conv.weight', random([3, 1, 3, 3], 0.5)],
    ['conv.bias', random([3], 0.1)],
    ['dense.V', random([2, 27], 0.3)],
    ['dense.U', random([4, 2], 0.3)],
    ['dense.bias', random([4], 0.1)],
  ]);
  return { graph: g.build(), params };
}

describe('export', () => {
  it('writes a file onnxruntime loads as is (params as initializers, data inputs only) with outputs within 1e-5', async () => {
    const { graph, params } = compressedModel();
    const path = join(dir, 'compressed.onnx');
    await backend.exporter!.exportModel(graph, params, path);
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const x = random([5, 1, 6, 6]);
    const result = await session.run({ x: new ort.Tensor('float32', x.data as Float32Array, x.shape) });
    const expected = (await runOnce(reference, graph, { x, ...Object.fromEntries(params) })).y;
    expectClose({ dtype: 'float32', shape: [...result.y.dims], data: result.y.data as Float32Array }, expected, within, 'exported y');
    await session.release();
  });

  it('round-trips import → export → import with the same graph outputs within 1e-5', async () => {
    const fixture = join(fileURLToPath(new URL('../import/__fixtures__', import.meta.url)), 'small-cnn-opset13.onnx');
    const first = await backend.importer!.importModel(fixture);
    const path = join(dir, 'round-trip.onnx');
    await backend.exporter!.exportModel(first.graph, first.params, path);
    const second = await backend.importer!.importModel(path);
    expect(second.graph.params.map((p) => [p.name, p.role])).toEqual(first.graph.params.map((p) => [p.name, p.role]));
    expect(second.graph.nodes.filter((n) => n.op === 'Gemm' || n.op === 'Conv').map((n) => n.name)).toEqual(first.graph.nodes.filter((n) => n.op === 'Gemm' || n.op === 'Conv').map((n) => n.name));
    const x = random([3, 1, 8, 8]);
    const a = await runOnce(backend, first.graph, { x, ...Object.fromEntries(first.params) });
    const b = await runOnce(backend, second.graph, { x, ...Object.fromEntries(second.params) });
    const out = first.graph.outputs[0];
    expectClose(b[second.graph.outputs[0]], a[out], within, 'round trip');
    expectClose(a[out], (await runOnce(reference, first.graph, { x, ...Object.fromEntries(first.params) }))[out], within, 'onnx vs reference');
  });

  it('refuses params whose values do not fit the graph', async () => {
    const { graph, params } = compressedModel();
    params.set('dense.U', random([2, 4]));
    await expect(backend.exporter!.exportModel(graph, params, join(dir, 'bad.onnx'))).rejects.toThrow(/param "dense.U" value has shape \[2,4\], the graph declares \[4,2\]/);
    params.delete('dense.U');
    await expect(backend.exporter!.exportModel(graph, params, join(dir, 'bad.onnx'))).rejects.toThrow(/no value for param "dense.U"/);
  });
});
