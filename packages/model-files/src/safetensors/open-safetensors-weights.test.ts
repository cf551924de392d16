import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { openWeightFile } from '../open-weight-file.js';
import { openPytorchWeights } from '../pytorch/open-pytorch-weights.js';
import { collect, expectItemsMatch, type ReferenceFile } from '../pytorch/reference.test-helper.js';
import { openSafetensorsWeights } from './open-safetensors-weights.js';

const fixtures = join(import.meta.dirname, '__fixtures__');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<string, ReferenceFile>;
const scratch = mkdtempSync(join(tmpdir(), 'safetensors-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A safetensors file of `header` (an object, or raw text) followed by `dataBytes` zero bytes (a sparse file). */
function writeSafetensors(name: string, header: unknown, dataBytes: number): string {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  const path = join(scratch, name);
  writeFileSync(path, Buffer.concat([prefix, text]));
  truncateSync(path, 8 + text.length + dataBytes);
  return path;
}

describe('openSafetensorsWeights on files of the safetensors format', () => {
  for (const name of ['mlp-conv.safetensors', 'dtypes.safetensors', 'sharded/model.safetensors.index.json']) {
    it(`${name}: the matrices and skipped tensors of the numpy reference, exactly`, async () => {
      const file = await openWeightFile(join(fixtures, name));
      expect(file.format).toBe('safetensors');
      expect(file.outputWidth).toBe(reference[name].outputWidth);
      expectItemsMatch(await collect(file), reference[name]);
    });
  }

  it('gives the same matrices as torch.save of the same state dict', async () => {
    const fromSafetensors = await collect(await openSafetensorsWeights(join(fixtures, 'mlp-conv.safetensors'), {}));
    const fromPytorch = await collect(await openPytorchWeights(join(import.meta.dirname, '../pytorch/__fixtures__/mlp-conv.pt'), {}));
    const matrices = (items: typeof fromPytorch) => Object.fromEntries(items.flatMap((i) => (i.kind === 'matrix' ? [[i.name, { rows: i.rows, cols: i.cols, data: Array.from(i.data) }]] : [])));
    expect(matrices(fromSafetensors)).toEqual(matrices(fromPytorch));
  });

  it('names the framework of __metadata__.format as the producer', async () => {
    expect((await openSafetensorsWeights(join(fixtures, 'mlp-conv.safetensors'), {})).producer).toBe('pytorch');
    expect((await openSafetensorsWeights(join(fixtures, 'dtypes.safetensors'), {})).producer).toBeNull();
  });
});

describe('openSafetensorsWeights refuses truncated and lying headers, naming the tensor', () => {
  const entry = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });
  const cases: [string, unknown, number, string][] = [
    ['offsets past the end', { 'fc.weight': entry('F32', [4, 4], 0, 64) }, 32, 'tensor "fc.weight": data_offsets [0, 64] lie outside the data region of 32 bytes (truncated file or a lying header)'],
    ['overlapping ranges', { 'a.weight': entry('F32', [2, 2], 0, 16), 'b.weight': entry('F32', [2, 2], 8, 24) }, 24, 'tensor "b.weight": its bytes 8–24 overlap those of "a.weight" (0–16)'],
    ['an absurd shape', { 'fc.weight': entry('F32', [1e12, 1e12], 0, 16) }, 16, "tensor \"fc.weight\": shape [1000000000000, 1000000000000] of F32 needs more bytes than the file's data region holds (16)"],
    ['a size other than its shape', { 'fc.weight': entry('F16', [2, 3], 0, 16) }, 16, 'tensor "fc.weight": shape [2, 3] of F16 is 12 bytes but data_offsets [0, 16] span 16'],
    ['an unknown dtype', { 'fc.weight': entry('F128', [1], 0, 16) }, 16, 'tensor "fc.weight": dtype "F128" is not one of'],
    ['a shape that is not integers', { 'fc.weight': entry('F32', [2.5, 2], 0, 16) }, 16, 'tensor "fc.weight": shape [2.5,2] is not a list of at most 16 non-negative integers'],
    ['a header that is not an object', '[1, 2]', 0, 'safetensors header is not a JSON object'],
    ['a header that is not JSON', '{"fc.weight": ', 0, 'safetensors header is not valid JSON'],
  ];
  for (const [what, header, dataBytes, message] of cases) {
    it(`${what}`, async () => {
      const path = writeSafetensors(`${what.replaceAll(' ', '-')}.safetensors`, header, dataBytes);
      const error = await openSafetensorsWeights(path, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as Error).message).toContain(`${path}: ${message}`);
    });
  }

  it('a header length beyond the file or over 100 MB, read no further than the 8-byte prefix', async () => {
    const short = join(scratch, 'short.safetensors');
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(1000n);
    writeFileSync(short, Buffer.concat([prefix, Buffer.from('{"a":')]));
    await expect(openSafetensorsWeights(short, {})).rejects.toThrow(`${short}: safetensors header claims 1000 bytes but the file has only 5 after the length (truncated?)`);
    prefix.writeBigUInt64LE(2n ** 63n);
    writeFileSync(short, Buffer.concat([prefix, Buffer.from('{}')]));
    await expect(openSafetensorsWeights(short, {})).rejects.toThrow(`${short}: safetensors header claims 9223372036854775808 bytes; at most 100000000 are read`);
  });

  it('a file truncated after its header was read is refused, not read short', async () => {
    const path = join(scratch, 'shrinks.safetensors');
    writeFileSync(path, readFileSync(join(fixtures, 'mlp-conv.safetensors')));
    const file = await openSafetensorsWeights(path, {});
    truncateSync(path, 600);
    await expect(collect(file)).rejects.toThrow(`${path}: shrank from 2400 bytes since its header was read`);
  });
});

describe('openSafetensorsWeights on sharded models', () => {
  const shards = join(fixtures, 'sharded');
  const writeIndex = (name: string, weightMap: Record<string, string>) => {
    const folder = join(scratch, name);
    mkdirSync(folder, { recursive: true });
    for (const shard of ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']) writeFileSync(join(folder, shard), readFileSync(join(shards, shard)));
    const index = join(folder, 'model.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ metadata: {}, weight_map: weightMap }));
    return index;
  };

  it('refuses a shard outside the index folder by the path-safety rule', async () => {
    const index = writeIndex('escape', { 'fc.weight': '../../secret.safetensors' });
    await expect(openWeightFile(index)).rejects.toThrow(`${index}: safetensors shard "../../secret.safetensors" is outside the model's folder; only files inside it are read`);
  });

  it('refuses a tensor the weight map puts in a shard that does not hold it', async () => {
    const index = writeIndex('missing', { 'fc1.weight': 'model-00001-of-00002.safetensors' });
    await expect(openWeightFile(index)).rejects.toThrow(`${index}: tensor "fc1.weight": the weight_map puts it in shard "model-00001-of-00002.safetensors", which does not hold it`);
  });
});

describe('openSafetensorsWeights streams', () => {
  // 24 tensors of 2048 × 1024 float32 (8 MiB each): a 192 MiB file, sparse, so the test writes almost nothing.
  const tensorBytes = 2048 * 1024 * 4;
  const largeFile = () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 24; i++) header[`layers.${i}.weight`] = { dtype: 'F32', shape: [2048, 1024], data_offsets: [i * tensorBytes, (i + 1) * tensorBytes] };
    return writeSafetensors('large.safetensors', header, 24 * tensorBytes);
  };

  it('reads each tensor with its own positioned reads: none larger than the largest tensor, the file read once', async () => {
    const path = largeFile();
    const probe = await open(path, 'r');
    type Read = (buffer: Uint8Array, offset: number, length: number, position: number) => Promise<unknown>;
    const prototype = Object.getPrototypeOf(probe) as { read: Read };
    await probe.close();
    const original = prototype.read;
    // Records lengths only: keeping the buffers alive would defeat the streaming.
    const lengths: number[] = [];
    prototype.read = function (this: unknown, buffer, offset, length, position) {
      lengths.push(length);
      return original.call(this, buffer, offset, length, position);
    };
    let count = 0;
    try {
      for await (const item of (await openSafetensorsWeights(path, {})).items()) count += item.kind === 'matrix' ? 1 : 0;
    } finally {
      prototype.read = original;
    }
    expect(count).toBe(24);
    expect(Math.max(...lengths)).toBe(tensorBytes);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(8 + lengths[1] + 24 * tensorBytes);
  });

  it('keeps memory near a few tensors while the consumer drops each matrix, not the 192 MiB of the file', async () => {
    const path = largeFile();
    const file = await openSafetensorsWeights(path, {});
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    for await (const item of file.items()) {
      expect(item.kind).toBe('matrix');
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    }
    // V8 frees dropped arrays when it collects, so a few tensors may be alive at once; the whole file never is.
    expect(peak).toBeLessThan(12 * tensorBytes);
  });
});
