/**
 * readOnnxWeights on models built here through the proto encoder: each role's layout on small matrices whose
 * expected entries are written out by hand, and every kind of bad input turned into one ModelFileError naming
 * the file and the tensor or node.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { afterAll, describe, expect, it } from 'vitest';
import type { WeightItem } from '../weight-matrix.js';
import { encodeModel, type AttributeProto, type GraphProto, type NodeProto, type TensorProto } from './proto/onnx-proto.js';
import { readOnnxWeights } from './read-onnx-weights.js';

const dir = mkdtempSync(join(tmpdir(), 'onnx-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const floats = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(values).buffer) });
const ints = (name: string, values: number[]): TensorProto => ({ name, dims: [values.length], dataType: 7, int64Data: values });
const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });
const graphAttr = (name: string, g: GraphProto): AttributeProto => ({ name, type: 5, g });
const node = (opType: string, input: string[], output: string[], name: string, attribute: AttributeProto[] = []): NodeProto => ({ opType, input, output, name, attribute });
const info = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }] } } } });

function write(file: string, nodes: NodeProto[], initializer: TensorProto[], inputs = ['x'], outputs = ['y']): string {
  const path = join(dir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodeModel({ irVersion: 8, producerName: 'handmade', opsetImport: [{ domain: '', version: 21 }], graph: { name: 'g', node: nodes, initializer, input: inputs.map(info), output: outputs.map(info) } }));
  return path;
}

async function items(path: string): Promise<WeightItem[]> {
  const out: WeightItem[] = [];
  for await (const item of (await readOnnxWeights(path, {})).items()) out.push(item);
  return out;
}

async function matrix(path: string, name: string) {
  const m = (await items(path)).find((i) => i.kind === 'matrix' && i.name === name);
  if (!m || m.kind !== 'matrix') throw new Error(`no matrix ${name}`);
  return { rows: m.rows, cols: m.cols, data: Array.from(m.data), role: m.role, note: m.note };
}

/** The ModelFileError of opening and reading `path`; it must name the file. */
async function failure(path: string): Promise<ModelFileError> {
  const error = await items(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  expect((error as ModelFileError).message).toContain(path);
  return error as ModelFileError;
}

describe('roles on hand-built models', () => {
  it('Gemm with the weight as A (transA = 1) and alpha: W = alpha·Aᵀ', async () => {
    const path = write('gemm-a.onnx', [node('Gemm', ['A', 'x'], ['y'], 'g', [int('transA', 1), { name: 'alpha', type: 1, f: 2 }])], [floats('A', [3, 2], [1, 2, 3, 4, 5, 6])]);
    expect(await matrix(path, 'g')).toMatchObject({ rows: 2, cols: 3, data: [2, 6, 10, 4, 8, 12], role: 'dense' });
  });

  it('MatMul with a rank-3 constant: one matrix per leading index, transposed', async () => {
    const path = write('matmul-3d.onnx', [node('MatMul', ['x', 'B'], ['y'], 'm')], [floats('B', [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]);
    const all = (await items(path)).filter((i) => i.kind === 'matrix');
    expect(all.map((m) => m.name)).toEqual(['m[0]', 'm[1]']);
    expect(await matrix(path, 'm[1]')).toMatchObject({ rows: 3, cols: 2, data: [7, 10, 8, 11, 9, 12] });
  });

  it('MatMul with the constant on the left is read as it is; a 1-D constant is a 1×K row', async () => {
    const left = write('matmul-left.onnx', [node('MatMul', ['A', 'x'], ['y'], 'm')], [floats('A', [2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(await matrix(left, 'm')).toMatchObject({ rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6] });
    const vector = write('matmul-vector.onnx', [node('MatMul', ['x', 'v'], ['y'], 'm')], [floats('v', [3], [1, 2, 3])]);
    expect(await matrix(vector, 'm')).toMatchObject({ rows: 1, cols: 3, data: [1, 2, 3] });
  });

  it('Gather from a constant table is an embedding read as dim × vocab, with run-time or constant (position) indices', async () => {
    const table = floats('T', [3, 2], [1, 2, 3, 4, 5, 6]);
    const runtime = write('gather.onnx', [node('Gather', ['T', 'x'], ['y'], 'embed')], [table]);
    expect(await matrix(runtime, 'embed')).toMatchObject({ rows: 2, cols: 3, data: [1, 3, 5, 2, 4, 6], role: 'embedding' });
    const positions = write('gather-positions.onnx', [node('Gather', ['T', 'ids'], ['p'], 'positions'), node('Add', ['x', 'p'], ['y'], 'add')], [table, ints('ids', [0, 1, 2])]);
    const got = await items(positions);
    expect(got.map((i) => `${i.kind}:${i.name}`)).toEqual(['matrix:positions', 'skipped:ids']);
    expect(got[1]).toMatchObject({ reason: expect.stringMatching(/^indices of Gather/) });
  });

  it('activation × activation products are not listed', async () => {
    const path = write('qk.onnx', [node('Transpose', ['x'], ['xt'], 't'), node('MatMul', ['x', 'xt'], ['y'], 'qk')], []);
    expect(await items(path)).toEqual([]);
  });

  it('RNN and a reverse LSTM: one matrix per gate, named by direction', async () => {
    const H = 1;
    const rnn = write('rnn.onnx', [node('RNN', ['x', 'W', 'R'], ['y'], 'rnn', [int('hidden_size', H)])], [floats('W', [1, 1, 2], [3, 4]), floats('R', [1, 1, 1], [5])]);
    expect((await items(rnn)).map((i) => i.name)).toEqual(['rnn.W', 'rnn.R']);
    const lstm = write('lstm-reverse.onnx', [node('LSTM', ['x', 'W', 'R', 'B'], ['y'], 'lstm', [int('hidden_size', 1), str('direction', 'reverse')])], [floats('W', [1, 4, 1], [1, 2, 3, 4]), floats('R', [1, 4, 1], [5, 6, 7, 8]), floats('B', [1, 8], [0, 0, 0, 0, 0, 0, 0, 0])]);
    const got = await items(lstm);
    expect(got.map((i) => i.name)).toEqual(['lstm.reverse.W.i', 'lstm.reverse.W.o', 'lstm.reverse.W.f', 'lstm.reverse.W.c', 'lstm.reverse.R.i', 'lstm.reverse.R.o', 'lstm.reverse.R.f', 'lstm.reverse.R.c', 'B']);
    expect(await matrix(lstm, 'lstm.reverse.R.f')).toMatchObject({ rows: 1, cols: 1, data: [7], role: 'recurrent-hidden' });
    expect(got.at(-1)).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^bias of LSTM/) });
  });

  it('weights inside Loop and Scan bodies are named by the body path; outer weights used inside count', async () => {
    const body: GraphProto = { name: 'body', node: [node('MatMul', ['x', 'W_outer'], ['y'], 'inner'), node('Conv', ['x', 'K'], ['z'], 'conv')], initializer: [floats('K', [2, 1, 1], [1, 2])], input: [info('i'), info('cond')], output: [info('cond'), info('y')] };
    const path = write('loop.onnx', [node('Loop', ['', ''], ['y'], 'loop', [graphAttr('body', body)]), node('Scan', ['x'], ['s'], 'scan', [graphAttr('body', { ...body, name: 'scan-body' })])], [floats('W_outer', [2, 2], [1, 2, 3, 4])]);
    const names = (await items(path)).map((i) => `${i.kind}:${i.name}`);
    expect(names).toEqual(['matrix:loop/body/inner', 'matrix:loop/body/conv', 'matrix:scan/body/inner', 'matrix:scan/body/conv']);
    expect(await matrix(path, 'loop/body/inner')).toMatchObject({ data: [1, 3, 2, 4] });
  });

  it('DequantizeLinear in blocks along an axis, and float16 / bfloat16 / Constant value_floats weights', async () => {
    // q = [[1, 2, 3, 4]] (1×4, blocks of 2 along axis 1, scales [0.5, 2]): W = qᵀ·s = [0.5, 1, 6, 8] as 4×1.
    const q: TensorProto = { name: 'q', dims: [1, 4], dataType: 3, rawData: Int8Array.of(1, 2, 3, 4) as unknown as Uint8Array };
    const blocked = write('blocked.onnx', [node('DequantizeLinear', ['q', 's'], ['w'], 'dq', [int('axis', 1), int('block_size', 2)]), node('MatMul', ['x', 'w'], ['y'], 'm')], [{ ...q, rawData: new Uint8Array(Int8Array.of(1, 2, 3, 4).buffer) }, floats('s', [1, 2], [0.5, 2])]);
    expect(await matrix(blocked, 'm')).toMatchObject({ rows: 4, cols: 1, data: [0.5, 1, 6, 8] });
    // float16 0x3c00 = 1, 0xc000 = −2, 0x3800 = 0.5, 0x7bff = 65504; bfloat16 0x3f80 = 1, 0x4040 = 3.
    const half: TensorProto = { name: 'h', dims: [2, 2], dataType: 10, rawData: new Uint8Array(Uint16Array.of(0x3c00, 0xc000, 0x3800, 0x7bff).buffer) };
    const bf: TensorProto = { name: 'b', dims: [1, 2], dataType: 16, int32Data: [0x3f80, 0x4040] };
    const types = write('types.onnx', [node('MatMul', ['h', 'x'], ['y'], 'half'), node('MatMul', ['b', 'x'], ['z'], 'bf'), node('Constant', [], ['c'], 'c', [{ name: 'value_floats', type: 6, floats: [1, 2] }]), node('MatMul', ['c', 'x'], ['u'], 'const')], [half, bf]);
    expect(await matrix(types, 'half')).toMatchObject({ data: [1, -2, 0.5, 65504] });
    expect(await matrix(types, 'bf')).toMatchObject({ data: [1, 3] });
    expect(await matrix(types, 'const')).toMatchObject({ rows: 1, cols: 2, data: [1, 2] });
  });

  it('outputWidth: the last dense layer reaching the output through a bias Add and a Softmax', async () => {
    const path = write('head.onnx', [node('Gemm', ['x', 'W'], ['z'], 'fc', [int('transB', 1)]), node('Add', ['z', 'b'], ['a'], 'add'), node('Softmax', ['a'], ['y'], 'softmax')], [floats('W', [3, 2], [1, 2, 3, 4, 5, 6]), floats('b', [3], [0, 0, 0])]);
    expect((await readOnnxWeights(path, {})).outputWidth).toBe(3);
    const none = write('no-head.onnx', [node('Gemm', ['x', 'W'], ['z'], 'fc', [int('transB', 1)]), node('ReduceMean', ['z'], ['y'], 'mean')], [floats('W', [3, 2], [1, 2, 3, 4, 5, 6])]);
    expect((await readOnnxWeights(none, {})).outputWidth).toBeNull();
  });
});

describe('bad input: one ModelFileError naming the file and what is wrong', () => {
  const dense = [node('MatMul', ['x', 'W'], ['y'], 'm')];

  it('an empty file, bytes that are not protobuf, a truncated model, 200 seeded corruptions', async () => {
    const empty = join(dir, 'empty.onnx');
    writeFileSync(empty, new Uint8Array(0));
    expect((await failure(empty)).message).toMatch(/is empty/);
    const text = join(dir, 'text.onnx');
    writeFileSync(text, '{"not": "onnx"}');
    expect((await failure(text)).message).toMatch(/not a valid ONNX model|no graph/);
    const good = write('good.onnx', dense, [floats('W', [4, 4], Array.from({ length: 16 }, (_, i) => i))]);
    const bytes = (await import('node:fs')).readFileSync(good);
    const cut = join(dir, 'cut.onnx');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    expect((await failure(cut)).message).toMatch(/not a valid ONNX model|bytes of data/);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const corrupted = Uint8Array.from(bytes);
      for (let k = 0; k < 3; k++) corrupted[Math.floor(random() * corrupted.length)] = Math.floor(random() * 256);
      const path = join(dir, `corrupt-${trial}.onnx`);
      writeFileSync(path, trial % 2 ? corrupted : corrupted.subarray(0, Math.floor(random() * corrupted.length) + 1));
      const outcome = await items(path).then(
        (list) => list.every((i) => i.kind === 'skipped' || i.data.length === i.rows * i.cols),
        (e: unknown) => e,
      );
      if (outcome !== true) expect(outcome, `trial ${trial}`).toBeInstanceOf(ModelFileError);
    }
  });

  it('dims that the raw data or the typed field does not match, absurd dims', async () => {
    expect((await failure(write('lying.onnx', dense, [floats('W', [3, 3], [1, 2, 3, 4, 5, 6])]))).message).toMatch(/initializer "W": 24 bytes of data for shape \[3,3\] \(36 expected\)/);
    expect((await failure(write('lying-field.onnx', dense, [{ name: 'W', dims: [2, 2], dataType: 1, floatData: [1, 2, 3] }]))).message).toMatch(/3 values in float_data for shape \[2,2\] \(4 expected\)/);
    expect((await failure(write('huge.onnx', dense, [floats('W', [100000, 100000, 100000], [1])]))).message).toMatch(/initializer "W": 4 bytes of data for shape \[100000,100000,100000\]/);
    expect((await failure(write('absurd.onnx', dense, [{ name: 'W', dims: [2 ** 40, 2 ** 40], dataType: 1, floatData: [1] }]))).message).toMatch(/more than any file holds/);
    expect((await failure(write('negative.onnx', dense, [{ name: 'W', dims: [-1, 2], dataType: 1, floatData: [1, 2] }]))).message).toMatch(/invalid dims/);
    // No elements, so no bytes to check them against: listed as empty, never iterated over its other dims.
    const empty = await items(write('empty-huge.onnx', [...dense, node('Conv', ['x', 'K'], ['z'], 'conv')], [{ name: 'W', dims: [2 ** 50, 0, 2 ** 50], dataType: 1 }, { name: 'K', dims: [0, 2 ** 50, 3], dataType: 1 }]));
    expect(empty.filter((i) => i.kind === 'matrix')).toEqual([]);
    expect(empty.find((i) => i.name === 'conv')).toMatchObject({ kind: 'skipped', reason: 'weight is an empty tensor' });
  });

  it('shapes a node cannot take: a rank-2 Conv kernel, LSTM rows that are not gates·hidden, a Reshape that does not fit', async () => {
    expect((await failure(write('conv-rank.onnx', [node('Conv', ['x', 'K'], ['y'], 'conv')], [floats('K', [2, 2], [1, 2, 3, 4])]))).message).toMatch(/Conv node "conv": weight "K" has shape \[2,2\]/);
    expect((await failure(write('lstm-rows.onnx', [node('LSTM', ['x', 'W', 'R'], ['y'], 'lstm', [int('hidden_size', 2)])], [floats('W', [1, 6, 1], [1, 2, 3, 4, 5, 6]), floats('R', [1, 6, 2], Array(12).fill(1))]))).message).toMatch(/LSTM node "lstm": W "W" has shape \[1,6,1\], expected \[1, 4·hidden_size, input_size\]/);
    expect((await failure(write('reshape.onnx', [node('Reshape', ['W', 's'], ['Wr'], 'reshape'), node('MatMul', ['x', 'Wr'], ['y'], 'm')], [floats('W', [2, 3], [1, 2, 3, 4, 5, 6]), ints('s', [4, 2])]))).message).toMatch(/Reshape node "reshape": cannot reshape \[2,3\]/);
  });

  it('external data: read from the model folder; refused outside it, through links, when missing or short', async () => {
    const external = (location: string, length = 24): TensorProto => ({ name: 'W', dims: [2, 3], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: location }, { key: 'offset', value: '8' }, { key: 'length', value: String(length) }] });
    mkdirSync(join(dir, 'ext'), { recursive: true });
    writeFileSync(join(dir, 'ext', 'weights.bin'), new Uint8Array(Float32Array.of(0, 0, 1, 2, 3, 4, 5, 6).buffer));
    const ok = write('ext/ok.onnx', dense, [external('weights.bin')]);
    expect(await matrix(ok, 'm')).toMatchObject({ rows: 3, cols: 2, data: [1, 4, 2, 5, 3, 6] });
    writeFileSync(join(dir, 'secret.bin'), new Uint8Array(64));
    expect((await failure(write('ext/up.onnx', dense, [external('../secret.bin')]))).message).toMatch(/initializer "W": external data "..\/secret.bin" is outside the model's folder/);
    expect((await failure(write('ext/abs.onnx', dense, [external(join(dir, 'secret.bin'))]))).message).toMatch(/is an absolute path/);
    symlinkSync(join(dir, 'secret.bin'), join(dir, 'ext', 'link.bin'));
    expect((await failure(write('ext/link.onnx', dense, [external('link.bin')]))).message).toMatch(/through a link/);
    expect((await failure(write('ext/missing.onnx', dense, [external('nothing.bin')]))).message).toMatch(/does not exist/);
    expect((await failure(write('ext/short.onnx', dense, [external('weights.bin', 28)]))).message).toMatch(/has 32 bytes, needs 36/);
  });
});
