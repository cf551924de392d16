/** Bad input never crashes: every problem is one ModelFileError naming the file and what is wrong. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelFileError, createRng } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { encodeModel, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '@rank-collapse/model-files/onnx';
import { tensorTypeProto } from '@rank-collapse/model-files/onnx';

const dir = mkdtempSync(join(tmpdir(), 'onnx-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const backend = createOnnxBackend({ ort });
const importer = backend.importer!;

const info = (name: string, shape: (number | string)[]): ValueInfoProto => ({ name, type: tensorTypeProto('float32', shape) });
const floats = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(values).buffer) });

/** A one-layer model y = x·Wᵀ + b (Gemm) with extra nodes, written to `dir/file`. */
function model(file: string, options: { nodes?: NodeProto[]; initializers?: TensorProto[]; inputs?: ValueInfoProto[]; outputs?: ValueInfoProto[]; opset?: number } = {}): string {
  const m: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: options.opset ?? 17 }],
    graph: {
      name: 'test',
      node: options.nodes ?? [{ opType: 'Gemm', name: 'dense', input: ['x', 'W', 'b'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: 1 }] }],
      initializer: options.initializers ?? [floats('W', [2, 3], [1, 2, 3, 4, 5, 6]), floats('b', [2], [0.5, -0.5])],
      input: options.inputs ?? [info('x', ['N', 3])],
      output: options.outputs ?? [info('y', ['N', 2])],
    },
  };
  const path = join(dir, file);
  writeFileSync(path, encodeModel(m));
  return path;
}

async function importError(path: string, maxModelBytes?: number): Promise<ModelFileError> {
  const b = maxModelBytes === undefined ? backend : createOnnxBackend({ ort, maxModelBytes });
  const error = await b.importer!.importModel(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  expect((error as ModelFileError).message).toContain(path);
  return error as ModelFileError;
}

describe('importing hand-built models', () => {
  it('imports a valid model, keeping the node name and running it', async () => {
    const m = await importer.importModel(model('ok.onnx'));
    expect(m.graph.nodes.map((n) => n.name)).toEqual(['dense']);
    expect(m.graph.params.map((p) => [p.name, p.role])).toEqual([['W', 'weight'], ['b', 'bias']]);
    const x = { dtype: 'float32' as const, shape: [1, 3], data: Float32Array.of(1, 1, 1) };
    const y = (await runOnce(backend, m.graph, { x, ...Object.fromEntries(m.params) })).y;
    expectClose(y, { dtype: 'float32', shape: [1, 2], data: Float32Array.of(6.5, 14.5) }, { atol: 1e-6, rtol: 0 }, 'y');
  });

  it('turns Constant nodes feeding weight slots into params', async () => {
    const weight: NodeProto = { opType: 'Constant', name: 'w-const', output: ['W'], attribute: [{ name: 'value', type: 4, t: floats('', [2, 3], [1, 0, 0, 0, 1, 0]) }] };
    const direct = model('constant-weight-direct.onnx', { initializers: [], nodes: [{ ...weight, output: ['Wt'], attribute: [{ name: 'value', type: 4, t: floats('', [3, 2], [1, 0, 0, 1, 0, 0]) }] }, { opType: 'MatMul', name: 'dense', input: ['x', 'Wt'], output: ['y'] }] });
    const d = await importer.importModel(direct);
    expect(d.graph.params.map((p) => [p.name, p.role])).toEqual([['Wt', 'weight']]);
    expect(d.params.get('Wt')!.shape).toEqual([3, 2]);
    // A Constant used as plain data (not a weight slot) stays a Constant node.
    const scale = model('constant-data.onnx', { initializers: [], outputs: [info('y', ['N', 3])], nodes: [{ ...weight, output: ['s'], attribute: [{ name: 'value_float', type: 1, f: 2 }] }, { opType: 'Mul', name: 'scale', input: ['x', 's'], output: ['y'] }] });
    const c = await importer.importModel(scale);
    expect(c.graph.params).toEqual([]);
    expect(c.graph.nodes.map((n) => n.op)).toEqual(['Constant', 'Mul']);
  });

  it('lists every unsupported node, by type and name, in one error', async () => {
    const path = model('unsupported.onnx', {
      nodes: [
        { opType: 'Gemm', name: 'dense', input: ['x', 'W', 'b'], output: ['z'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
        { opType: 'Celu', name: 'act', input: ['z'], output: ['a'] },
        { opType: 'Selu', name: 'act2', input: ['a'], output: ['s'] },
        { opType: 'Erf', name: 'erf', input: ['z'], output: ['e'] },
        { opType: 'Add', name: 'sum', input: ['s', 'e'], output: ['y'] },
      ],
    });
    const error = await importError(path);
    expect(error.message).toMatch(/3 unsupported nodes: Celu \(node "act"\); Selu \(node "act2"\); Erf \(node "erf"\)$/);
  });

  it('refuses a truncated file, a non-ONNX file and an empty file', async () => {
    const bytes = encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], input: [info('x', [2])], output: [info('y', [2])] } });
    const truncated = join(dir, 'truncated.onnx');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 7));
    expect((await importError(truncated)).message).toMatch(/not a valid ONNX model|no graph/);
    const text = join(dir, 'text.onnx');
    writeFileSync(text, 'this is not a model at all\n'.repeat(20));
    expect((await importError(text)).message).toMatch(/not a valid ONNX model|not an ONNX model/);
    const empty = join(dir, 'empty.onnx');
    writeFileSync(empty, '');
    expect((await importError(empty)).message).toMatch(/empty/);
    expect((await importError(join(dir, 'missing.onnx'))).message).toMatch(/cannot read/);
  });

  it('refuses a model over maxModelBytes', async () => {
    const error = await importError(model('big.onnx'), 64);
    expect(error.message).toMatch(/over the limit of 64 bytes/);
  });

  it('refuses opsets outside the supported range', async () => {
    expect((await importError(model('opset.onnx', { opset: 22 }))).message).toMatch(/opset 22 is not supported/);
  });

  it('names missing or inconsistent shapes', async () => {
    expect((await importError(model('no-shape.onnx', { inputs: [{ name: 'x', type: { tensorType: { elemType: 1 } } }] }))).message).toMatch(/input "x" has no shape/);
    expect((await importError(model('bad-inner.onnx', { inputs: [info('x', ['N', 4])] }))).message).toMatch(/inconsistent shapes at Gemm \(node "dense"\)/);
    expect((await importError(model('bad-output.onnx', { outputs: [info('y', ['N', 5])] }))).message).toMatch(/output "y" is declared \[N, 5\] but computes to \[N, 2\]/);
    expect((await importError(model('bad-data.onnx', { initializers: [floats('W', [2, 3], [1, 2, 3]), floats('b', [2], [0, 0])] }))).message).toMatch(/initializer "W": 12 bytes of data for shape \[2, ?3\]/);
  });
});

describe('corrupted files', () => {
  it('turn into a ModelFileError or a clean import, never another error (300 seeded corruptions)', async () => {
    const original = readFileSync(join(fileURLToPath(new URL('./__fixtures__', import.meta.url)), 'small-cnn-opset13.onnx'));
    const rng = createRng('onnx-corruption');
    const path = join(dir, 'corrupt.onnx');
    let refused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Uint8Array.from(original);
      const flips = 1 + Math.floor(rng.uniform() * 8);
      for (let f = 0; f < flips; f++) bytes[Math.floor(rng.uniform() * bytes.length)] = Math.floor(rng.uniform() * 256);
      const cut = trial % 3 === 0 ? Math.floor(rng.uniform() * bytes.length) : bytes.length;
      writeFileSync(path, bytes.subarray(0, cut));
      const error = await importer.importModel(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error === undefined) continue;
      if (!(error instanceof ModelFileError)) throw new Error(`trial ${trial}: ${String(error)}`);
      refused++;
    }
    expect(refused).toBeGreaterThan(100);
  });
});

describe('external data', () => {
  const external = (location: string, length = 24): TensorProto => ({
    name: 'W',
    dims: [2, 3],
    dataType: 1,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(length) },
    ],
  });
  const bias = floats('b', [2], [0, 0]);

  it('reads weights from a file beside the model', async () => {
    const folder = join(dir, 'ext-ok');
    mkdirSync(folder);
    writeFileSync(join(folder, 'weights.bin'), new Uint8Array(Float32Array.of(1, 2, 3, 4, 5, 6).buffer));
    const path = model('ext-ok/model.onnx', { initializers: [external('weights.bin'), bias] });
    const m = await importer.importModel(path);
    expect(Array.from(m.params.get('W')!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const oracle = await runOnce(createReferenceBackend(), m.graph, { x: { dtype: 'float32', shape: [1, 3], data: Float32Array.of(1, 0, 0) }, ...Object.fromEntries(m.params) });
    expect(Array.from(oracle.y.data as Float64Array)).toEqual([1, 4]);
  });

  it('refuses locations outside the model folder: "..", absolute paths and links out', async () => {
    const folder = join(dir, 'ext-bad');
    mkdirSync(folder);
    writeFileSync(join(dir, 'secret.bin'), new Uint8Array(24));
    expect((await importError(model('ext-bad/up.onnx', { initializers: [external('../secret.bin'), bias] }))).message).toMatch(/outside the model's folder/);
    expect((await importError(model('ext-bad/abs.onnx', { initializers: [external(join(dir, 'secret.bin')), bias] }))).message).toMatch(/absolute path/);
    symlinkSync(join(dir, 'secret.bin'), join(folder, 'link.bin'));
    expect((await importError(model('ext-bad/link.onnx', { initializers: [external('link.bin'), bias] }))).message).toMatch(/through a link/);
    expect((await importError(model('ext-bad/missing.onnx', { initializers: [external('nothing.bin'), bias] }))).message).toMatch(/does not exist/);
    writeFileSync(join(folder, 'short.bin'), new Uint8Array(8));
    expect((await importError(model('ext-bad/short.onnx', { initializers: [external('short.bin'), bias] }))).message).toMatch(/has 8 bytes, needs 24/);
  });
});
