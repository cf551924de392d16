/**
 * Damaged TF.js files: every case is a ModelFileError naming the model file and the weight, shard or layer, and
 * is found when the file is opened, before a weight is read or a buffer of a size the file claims is allocated.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '@rank-collapse/backend';
import { decodeTfjsWeight, float16ToFloat32 } from './decode-tfjs-weight.js';
import { openTfjsGraphWeights, openTfjsLayersWeights } from './open-tfjs-weights.js';
import { parseTfjsManifest } from './tfjs-manifest.js';
import { openTfjsShards } from './tfjs-shards.js';

const FIXTURES = join(import.meta.dirname, '__fixtures__');
const dir = mkdtempSync(join(tmpdir(), 'tfjs-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;
let copies = 0;
/** A copy of a fixture, its model.json changed by `edit`; returns the model.json path. */
function copy(fixture: string, edit: (json: Json, folder: string) => void = () => {}): string {
  const folder = join(dir, `${fixture}-${copies++}`);
  cpSync(join(FIXTURES, fixture), folder, { recursive: true });
  const file = join(folder, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(json, folder);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

async function refusal(open: Promise<unknown>): Promise<string> {
  const error = await open.then(
    () => new Error('opened'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  return error.message;
}

// layers-nested has one group in one shard: 4·(24+6 + 2·(72+36+12) + 24+16+4 + 4 + 20+5+10) bytes.
const NESTED_BYTES = 4 * (24 + 6 + 2 * (72 + 36 + 12) + 24 + 16 + 4 + 4 + 20 + 5 + 10);

describe('TF.js shards', () => {
  it('the fixture is as sized (the numbers below depend on it)', () => {
    expect(readFileSync(join(FIXTURES, 'layers-nested', 'group1-shard1of1.bin')).length).toBe(NESTED_BYTES);
  });

  it('a truncated shard names the weight that does not fit, its range and the real size', async () => {
    const file = copy('layers-nested', (_, folder) => truncateSync(join(folder, 'group1-shard1of1.bin'), NESTED_BYTES - 4));
    expect(await refusal(openTfjsLayersWeights(file))).toBe(
      `${file}: weight "head/dense_b/kernel" [5,2] needs bytes ${NESTED_BYTES - 40}–${NESTED_BYTES} of group 0 (group1-shard1of1.bin), but the shards hold ${NESTED_BYTES - 4} bytes`,
    );
  });

  it('a shard longer than its weights names the group and the last weight', async () => {
    const file = copy('layers-nested', (_, folder) => writeFileSync(join(folder, 'group1-shard1of1.bin'), Buffer.alloc(8), { flag: 'a' }));
    expect(await refusal(openTfjsLayersWeights(file))).toBe(`${file}: group 0 (group1-shard1of1.bin) holds ${NESTED_BYTES + 8} bytes but its weights, ending with "head/dense_b/kernel", take ${NESTED_BYTES}`);
  });

  it('a lying shape is refused against the real size, without allocating what it claims', async () => {
    const file = copy('layers-nested', (json) => (json.weightsManifest[0].weights[0].shape = [4_000_000_000, 4_000_000_000]));
    expect(await refusal(openTfjsLayersWeights(file))).toMatch(/weight "time_distributed_TimeDistributed1\/kernel" \[4000000000,4000000000\] needs bytes 0–64000000000000000000 of group 0 \(group1-shard1of1\.bin\), but the shards hold \d+ bytes/);
    const negative = copy('layers-nested', (json) => (json.weightsManifest[0].weights[1].shape = [-6]));
    expect(await refusal(openTfjsLayersWeights(negative))).toBe(`${negative}: weight "time_distributed_TimeDistributed1/bias" has shape [-6]; expected a list of non-negative integers`);
  });

  it('an unknown dtype or quantization names the weight', async () => {
    const file = copy('layers-nested', (json) => (json.weightsManifest[0].weights[2].dtype = 'complex128'));
    expect(await refusal(openTfjsLayersWeights(file))).toBe(`${file}: weight "bidirectional_Bidirectional1/forward_lstm_LSTM1/kernel" has dtype "complex128"; expected float32, float16, int32, bool or string`);
    const quantized = copy('layers-quantized', (json) => (json.weightsManifest[0].weights[0].quantization.dtype = 'int4'));
    expect(await refusal(openTfjsLayersWeights(quantized))).toBe(`${quantized}: weight "conv3d/kernel" is quantized as "int4"; expected uint8, uint16 or float16`);
    const noScale = copy('layers-quantized', (json) => delete json.weightsManifest[0].weights[0].quantization.scale);
    expect(await refusal(openTfjsLayersWeights(noScale))).toMatch(/weight "conv3d\/kernel" is quantized as uint16 without a finite "scale" and "min"/);
  });

  it('a missing shard is named; a shard path out of the folder is refused the same whether it exists or not', async () => {
    const missing = copy('layers-sequential-conv', (_, folder) => rmSync(join(folder, 'group1-shard3of4.bin')));
    expect(await refusal(openTfjsLayersWeights(missing))).toBe(`${missing}: weight shard "group1-shard3of4.bin" does not exist`);
    writeFileSync(join(dir, 'outside.bin'), Buffer.alloc(1000));
    const messages: string[] = [];
    for (const name of ['../outside.bin', '../nothing.bin']) {
      const file = copy('layers-sequential-conv', (json) => (json.weightsManifest[0].paths[1] = name));
      messages.push((await refusal(openTfjsLayersWeights(file))).replace(file, 'FILE').replace(name, 'NAME'));
    }
    expect(messages[0]).toBe(`FILE: weight shard "NAME" is outside the model's folder; only files inside it are read`);
    expect(messages[1]).toBe(messages[0]);
    const linked = copy('graph-model', (json, folder) => {
      rmSync(join(folder, 'group1-shard2of4.bin'));
      symlinkSync(join(dir, 'outside.bin'), join(folder, 'group1-shard2of4.bin'));
      json.format = 'graph-model';
    });
    expect(await refusal(openTfjsGraphWeights(linked))).toBe(`${linked}: weight shard "group1-shard2of4.bin" leads outside the model's folder through a link; only files inside it are read`);
  });

  it('a kernel whose shape does not fit its layer names the layer and the weight', async () => {
    const file = copy('layers-functional-branches', (json) => (json.modelTopology.model_config.config.layers[8].config.units = 5));
    expect(await refusal(openTfjsLayersWeights(file))).toBe(`${file}: layer "logits" (Dense): weight "logits/kernel" has shape [7,3]; expected [inputs, 5]`);
    const gru = copy('layers-functional-branches', (json) => (json.modelTopology.model_config.config.layers[4].config.units = 5));
    expect(await refusal(openTfjsLayersWeights(gru))).toMatch(/layer "gru" \(GRU\): weight "gru\/gru_cell\/kernel" has shape \[6,12\]; expected \[inputs, 3·5\] \(gates z,r,h side by side\)/);
    const graph = copy('graph-model', (json) => (json.modelTopology.node.find((n: Json) => n.name === 'dw').op = 'Conv3D'));
    expect(await refusal(openTfjsGraphWeights(graph))).toBe(`${graph}: weight "dw/w" [3,3,4,2] is read by Conv3D "dw" as input 1; expected a rank-5 HWIO filter`);
  });

  it('refuses files that are not of the reader’s kind', async () => {
    const layers = join(FIXTURES, 'layers-nested', 'model.json');
    expect(await refusal(openTfjsGraphWeights(layers))).toBe(`${layers}: has format "layers-model"; expected "graph-model"`);
    const graph = join(FIXTURES, 'graph-model', 'model.json');
    expect(await refusal(openTfjsLayersWeights(graph))).toBe(`${graph}: model class undefined is not Sequential, Model or Functional`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"modelTopology": ');
    expect(await refusal(openTfjsLayersWeights(bad))).toMatch(/bad\.json: is not valid JSON/);
  });
});

describe('TF.js values', () => {
  it('float16 halves widen exactly (closed forms: 1, −2, 2⁻²⁴, 65504, ∞, NaN, −0)', () => {
    const halves = Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0x7e00, 0x8000, 0x3555]);
    const out = float16ToFloat32(halves);
    expect(Array.from(out.subarray(0, 5))).toEqual([1, -2, 2 ** -24, 65504, Infinity]);
    expect(Number.isNaN(out[5])).toBe(true);
    expect(Object.is(out[6], -0)).toBe(true);
    // 0x3555 = 2⁻² · (1 + 0x155/1024) = 0.333251953125.
    expect(out[7]).toBe(0.333251953125);
  });

  it('affine quantization is q·scale + min (rounded for int32 weights), strings split at their length prefixes', () => {
    const q = decodeTfjsWeight({ name: 'w', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }, Uint8Array.from([0, 3, 255]));
    expect(Array.from(q as Float32Array)).toEqual([-1, 0.5, 126.5]);
    const n = decodeTfjsWeight({ name: 'n', shape: [2], dtype: 'int32', quantization: { dtype: 'uint16', scale: 0.3, min: 1 } }, new Uint8Array(Uint16Array.from([5, 10]).buffer));
    expect(Array.from(n as Int32Array)).toEqual([3, 4]);
    const bytes = Uint8Array.from([2, 0, 0, 0, 104, 105, 0, 0, 0, 0]);
    expect((decodeTfjsWeight({ name: 's', shape: [2], dtype: 'string' }, bytes) as Uint8Array[]).map((b) => Buffer.from(b).toString())).toEqual(['hi', '']);
  });

  it('measures string weights by their prefixes and refuses a prefix past the shard', async () => {
    const folder = mkdtempSync(join(dir, 'strings-'));
    const file = join(folder, 'model.json');
    writeFileSync(join(folder, 's.bin'), Buffer.concat([Buffer.from([2, 0, 0, 0, 104, 105, 1, 0, 0, 0, 33]), Buffer.from(Float32Array.from([1.5]).buffer)]));
    const groups = parseTfjsManifest(file, [{ paths: ['s.bin'], weights: [{ name: 's', shape: [2], dtype: 'string' }, { name: 'x', shape: [1], dtype: 'float32' }] }]);
    const shards = await openTfjsShards(file, groups);
    expect(shards.entries.map((e) => [e.offset, e.byteLength])).toEqual([[0, 11], [11, 4]]);
    expect(Array.from((await shards.read(shards.entries[1])) as Float32Array)).toEqual([1.5]);
    const long = parseTfjsManifest(file, [{ paths: ['s.bin'], weights: [{ name: 's', shape: [5], dtype: 'string' }] }]);
    await expect(openTfjsShards(file, long)).rejects.toThrow(/string weight "s" \[5\]: value \d starts at byte \d+ of group 0 \(s\.bin\), but the shards hold 15 bytes/);
  });
});
