/**
 * Weight shards a model.json names must lie inside its folder: a path out (`..`, absolute, a link) is refused
 * before anything is read, with one message whether or not the outside file exists (no existence or size leak).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '@rank-collapse/backend';
import { importLayersModel } from './import-layers-model.js';

const dir = await mkdtemp(path.join(tmpdir(), 'tfjs-shard-paths-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// A Dense 2→3 layer: kernel [2, 3] and bias [3], 36 bytes of float32. The outside files have exactly that size,
// so an importer that followed the path would succeed and copy their bytes into the weights.
const WEIGHT_BYTES = 36;
const outside = path.join(dir, 'secret.bin');
await writeFile(outside, Buffer.alloc(WEIGHT_BYTES, 7));

async function modelNaming(name: string, shardPath: string): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  const modelTopology = {
    class_name: 'Sequential',
    config: { name: 'm', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 3, use_bias: true, activation: 'linear', batch_input_shape: [null, 2] } }] },
  };
  const weights = [
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'dense/bias', shape: [3], dtype: 'float32' },
  ];
  const file = path.join(folder, 'model.json');
  await writeFile(file, JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: [{ paths: [shardPath], weights }] }));
  return file;
}

async function refusal(file: string): Promise<string> {
  const error = await importLayersModel(file).then(
    () => new Error(`${file} was imported`),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  return error.message;
}

describe('weight shard paths of a Layers model', () => {
  it('imports a shard inside the folder (the fixture itself is valid)', async () => {
    const file = await modelNaming('inside', 'weights.bin');
    await writeFile(path.join(dir, 'inside', 'weights.bin'), Buffer.alloc(WEIGHT_BYTES));
    const imported = await importLayersModel(file);
    expect(imported.params.get('dense.weight')?.shape).toEqual([3, 2]);
  });

  it('refuses "../secret.bin", naming the model file and the path, the same whether the file exists or not', async () => {
    const file = await modelNaming('up', '../secret.bin');
    const message = await refusal(file);
    expect(message).toBe(`${file}: weight shard "../secret.bin" is outside the model's folder; only files inside it are read`);
    const missing = await refusal(await modelNaming('up-missing', '../no-such.bin'));
    expect(missing.replace('no-such.bin', 'X').replace('up-missing', 'up')).toBe(message.replace('secret.bin', 'X'));
    expect(await refusal(await modelNaming('far-up', '../../../../etc/passwd'))).toMatch(/weight shard "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is outside the model's folder/);
  });

  it('refuses an absolute path whether the file exists or not', async () => {
    const file = await modelNaming('absolute', outside);
    expect(await refusal(file)).toBe(`${file}: weight shard "${outside}" is an absolute path; only files inside the model's folder are read`);
    const missing = await refusal(await modelNaming('absolute-missing', path.join(dir, 'no-such.bin')));
    expect(missing).toMatch(/weight shard ".*no-such\.bin" is an absolute path/);
    expect(missing).not.toMatch(/exist|bytes/);
  });

  it('refuses a link out of the folder, the same whether its target exists or not', async () => {
    const file = await modelNaming('link', 'weights.bin');
    await symlink(outside, path.join(dir, 'link', 'weights.bin'));
    const message = await refusal(file);
    expect(message).toBe(`${file}: weight shard "weights.bin" leads outside the model's folder through a link; only files inside it are read`);
    const dangling = await modelNaming('dangling', 'weights.bin');
    await symlink(path.join(dir, 'no-such.bin'), path.join(dir, 'dangling', 'weights.bin'));
    expect((await refusal(dangling)).replace('dangling', 'link')).toBe(message);
    // A link to a folder outside, then a file in it: the same rule.
    const viaFolder = await modelNaming('via-folder', 'out/secret.bin');
    await symlink(dir, path.join(dir, 'via-folder', 'out'));
    expect(await refusal(viaFolder)).toMatch(/weight shard "out\/secret\.bin" leads outside the model's folder through a link/);
    const viaFolderMissing = await modelNaming('via-folder-missing', 'out/no-such.bin');
    await symlink(dir, path.join(dir, 'via-folder-missing', 'out'));
    expect(await refusal(viaFolderMissing)).toMatch(/weight shard "out\/no-such\.bin" leads outside the model's folder through a link/);
  });

  it('reads float16 and uint8-quantized shards through the one TF.js shard reader (closed-form values)', async () => {
    const folder = path.join(dir, 'quantized');
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'model.json');
    const modelTopology = {
      class_name: 'Sequential',
      config: { name: 'm', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 3, use_bias: true, activation: 'linear', batch_input_shape: [null, 2] } }] },
    };
    // Kernel [2, 3] as float16: 1, −2, 0.5, 0.25, 65504, −0.125 (all exact in half precision); bias as uint8: q·0.5 − 1.
    const halves = Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x3400, 0x7bff, 0xb000]);
    const weights = [
      { name: 'dense/kernel', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'dense/bias', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
    ];
    await writeFile(path.join(folder, 'w.bin'), Buffer.concat([Buffer.from(halves.buffer), Buffer.from([0, 2, 255])]));
    await writeFile(file, JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: [{ paths: ['w.bin'], weights }] }));
    const imported = await importLayersModel(file);
    // The importer stores Dense weights [out, in].
    expect(Array.from(imported.params.get('dense.weight')!.data as Float32Array)).toEqual([1, 0.25, -2, 65504, 0.5, -0.125]);
    expect(Array.from(imported.params.get('dense.bias')!.data as Float32Array)).toEqual([-1, 0, 126.5]);
  });

  it('names a missing shard inside the folder', async () => {
    const file = await modelNaming('missing', 'group1-shard1of1.bin');
    expect(await refusal(file)).toBe(`${file}: weight shard "group1-shard1of1.bin" does not exist`);
  });
});
