/**
 * Ops the importer expands into IR ops (Softplus, Elu, PRelu, Split), on hand-built models: the imported graph
 * on the float64 reference and on this backend against onnxruntime running the original file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, type HostTensor } from '@rank-collapse/backend';
import { checkGradientCase, createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { encodeModel, type AttributeProto, type NodeProto, type TensorProto } from '@rank-collapse/model-files/onnx';
import { tensorTypeProto } from '@rank-collapse/model-files/onnx';

const dir = mkdtempSync(join(tmpdir(), 'onnx-expanded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const backend = createOnnxBackend({ ort });
const reference = createReferenceBackend();

const floats = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(values).buffer) });
const int64s = (name: string, values: number[]): TensorProto => ({ name, dims: [values.length], dataType: 7, rawData: new Uint8Array(BigInt64Array.from(values, BigInt).buffer) });

interface Case {
  readonly node: NodeProto;
  readonly x: HostTensor;
  readonly outputs: readonly [string, number[]][];
  readonly initializers?: TensorProto[];
  readonly opset?: number;
}

function write(file: string, c: Case): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: c.opset ?? 17 }],
      graph: {
        name: file,
        node: [c.node],
        initializer: c.initializers ?? [],
        input: [{ name: 'x', type: tensorTypeProto('float32', ['N', ...c.x.shape.slice(1)]) }],
        output: c.outputs.map(([name, shape]) => ({ name, type: tensorTypeProto('float32', shape) })),
      },
    }),
  );
  return path;
}

async function agree(file: string, c: Case): Promise<void> {
  const path = write(file, c);
  const session = await ort.InferenceSession.create(path);
  const want = await session.run({ x: new ort.Tensor('float32', c.x.data as Float32Array, [...c.x.shape]) });
  const imported = await backend.importer!.importModel(path);
  for (const on of [backend, reference]) {
    const got = await runOnce(on, imported.graph, { x: c.x, ...Object.fromEntries(imported.params) });
    for (const [name] of c.outputs) {
      const w = want[name];
      expectClose(got[name], { dtype: 'float32', shape: [...w.dims], data: w.data as Float32Array }, { atol: 1e-6, rtol: 1e-5 }, `${file} ${name} on ${on.name}`);
    }
  }
  await session.release();
}

const attr = (name: string, value: number | number[]): AttributeProto => (Array.isArray(value) ? { name, type: 7, ints: value } : { name, type: 1, f: value });
const x = (values: number[], shape = [2, values.length / 2]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from(values) });

describe('importing ops expanded into IR ops', () => {
  it('Softplus, stable at large |x|', async () => {
    await agree('softplus.onnx', { node: { opType: 'Softplus', name: 'sp', input: ['x'], output: ['y'] }, x: x([-100, -20, -1, -1e-3, 0, 1e-3, 1, 20, 100, 3]), outputs: [['y', [2, 5]]] });
  });

  it('Elu with its alpha', async () => {
    await agree('elu.onnx', { node: { opType: 'Elu', name: 'elu', input: ['x'], output: ['y'], attribute: [attr('alpha', 0.7)] }, x: x([-50, -2, -0.5, 0, 0.5, 2, 80, -1e-4]), outputs: [['y', [2, 4]]] });
  });

  it('PRelu with a per-channel slope initializer', async () => {
    const images = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => (i % 5) - 2.5);
    await agree('prelu.onnx', {
      node: { opType: 'PRelu', name: 'prelu', input: ['x', 'slope'], output: ['y'] },
      x: x(images, [2, 3, 2, 2]),
      initializers: [floats('slope', [3, 1, 1], [0.1, 0.25, -0.5])],
      outputs: [['y', [2, 3, 2, 2]]],
    });
  });

  it('Split with sizes from an input (opset 13+) and an attribute (opset 11), and equal parts', async () => {
    const values = Array.from({ length: 12 }, (_, i) => i - 6);
    await agree('split-input.onnx', {
      node: { opType: 'Split', name: 'split', input: ['x', 'sizes'], output: ['a', 'b', 'c'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
      x: x(values, [2, 6]),
      initializers: [int64s('sizes', [1, 2, 3])],
      outputs: [['a', [2, 1]], ['b', [2, 2]], ['c', [2, 3]]],
    });
    await agree('split-attribute.onnx', {
      node: { opType: 'Split', name: 'split', input: ['x'], output: ['a', 'b'], attribute: [{ name: 'axis', type: 2, i: -1 }, attr('split', [4, 2])] },
      x: x(values, [2, 6]),
      outputs: [['a', [2, 4]], ['b', [2, 2]]],
      opset: 11,
    });
    await agree('split-equal.onnx', { node: { opType: 'Split', name: 'split', input: ['x'], output: ['a', 'b', 'c'], attribute: [{ name: 'axis', type: 2, i: 1 }] }, x: x(values, [2, 6]), outputs: [['a', [2, 2]], ['b', [2, 2]], ['c', [2, 2]]] });
  });

  it('MaxPool with padding or ceil_mode (an explicit −∞ Pad; windows starting in the end padding dropped)', async () => {
    const ints = (name: string, values: number[]): AttributeProto => ({ name, type: 7, ints: values });
    const cases: [string, number, number[], number[], number[], number[], number][] = [
      // name, size, kernel, strides, pads, output size, ceil_mode
      ['odd-2x2', 7, [2, 2], [2, 2], [0, 0, 0, 0], [4, 4], 1],
      ['3x3-stride-2', 8, [3, 3], [2, 2], [0, 0, 0, 0], [4, 4], 1],
      ['padded', 6, [3, 3], [2, 2], [1, 1, 1, 1], [4, 4], 1],
      ['drops-last', 5, [2, 2], [2, 2], [1, 1, 1, 1], [3, 3], 1],
      ['stride-over-kernel', 9, [2, 2], [3, 3], [0, 0, 0, 0], [3, 3], 1],
      ['padded-floor', 7, [2, 2], [2, 2], [1, 0, 0, 1], [4, 4], 0],
      ['padded-floor-3x3', 8, [3, 3], [2, 2], [1, 1, 1, 1], [4, 4], 0],
    ];
    for (const [name, size, kernel, strides, pads, out, ceil] of cases) {
      const images = Array.from({ length: 2 * 2 * size * size }, (_, i) => Math.sin(i * 1.7) * 3);
      await agree(`maxpool-ceil-${name}.onnx`, {
        node: { opType: 'MaxPool', name: 'pool', input: ['x'], output: ['y'], attribute: [ints('kernel_shape', kernel), ints('strides', strides), ints('pads', pads), { name: 'ceil_mode', type: 2, i: ceil }] },
        x: x(images, [2, 2, size, size]),
        outputs: [['y', [2, 2, out[0], out[1]]]],
      });
    }
  });

  it('differentiates the expansions: Conv → MaxPool(ceil_mode) → Elu → PRelu → Softplus against finite differences', async () => {
    const ints = (name: string, values: number[]): AttributeProto => ({ name, type: 7, ints: values });
    const path = join(dir, 'chain.onnx');
    writeFileSync(
      path,
      encodeModel({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 17 }],
        graph: {
          name: 'chain',
          node: [
            { opType: 'Conv', name: 'conv', input: ['x', 'W'], output: ['z'], attribute: [ints('kernel_shape', [2, 2])] },
            { opType: 'MaxPool', name: 'pool', input: ['z'], output: ['p'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2]), { name: 'ceil_mode', type: 2, i: 1 }] },
            { opType: 'Elu', name: 'elu', input: ['p'], output: ['e'], attribute: [attr('alpha', 0.5)] },
            { opType: 'PRelu', name: 'prelu', input: ['e', 'slope'], output: ['r'] },
            { opType: 'Softplus', name: 'softplus', input: ['r'], output: ['y'] },
          ],
          initializer: [floats('W', [2, 1, 2, 2], [0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.2, -0.9]), floats('slope', [2, 1, 1], [0.2, -0.4])],
          input: [{ name: 'x', type: tensorTypeProto('float32', ['N', 1, 6, 6]) }],
          output: [{ name: 'y', type: tensorTypeProto('float32', ['N', 2, 3, 3]) }],
        },
      }),
    );
    const imported = await backend.importer!.importModel(path);
    const g = GraphBuilder.from(imported.graph);
    const weights = g.constant({ dtype: 'float32', shape: [2, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => Math.cos(i)) });
    g.output(g.reduceSum(g.mul(g.value('y'), weights), undefined, false, { name: 'loss' }));
    const images = Float32Array.from({ length: 2 * 36 }, (_, i) => Math.sin(i * 2.3) * 2);
    await checkGradientCase(backend, reference, {
      name: 'imported chain',
      graph: g.build(),
      loss: 'loss',
      wrt: ['x', 'W', 'slope'],
      feeds: { x: { dtype: 'float32', shape: [2, 1, 6, 6], data: images }, ...Object.fromEntries(imported.params) },
    });
  });

  it('names a Split it cannot express', async () => {
    const path = write('split-bad.onnx', { node: { opType: 'Split', name: 'split', input: ['x', 'sizes'], output: ['a', 'b'], attribute: [{ name: 'axis', type: 2, i: 1 }] }, x: x([1, 2, 3, 4]), initializers: [int64s('sizes', [1, 2])], outputs: [['a', [2, 1]], ['b', [2, 2]]] });
    await expect(backend.importer!.importModel(path)).rejects.toThrow(/Split \(node "split"\): split sizes \[1,2\] do not cut dim 2 into 2 parts/);
  });
});
