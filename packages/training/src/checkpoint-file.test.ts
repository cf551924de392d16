import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
import { CheckpointError } from './checkpoint-error.js';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
import { crc32 } from './crc32.js';

const checkpoint: Checkpoint = {
  format: CHECKPOINT_FORMAT,
  epoch: 2,
  step: 40,
  seed: 'trial-7',
  params: new Map([
    ['dense1.weight', { dtype: 'float32', shape: [2, 3], data: Float64Array.from([0.1, -0.2, 1 / 3, 4e-30, -0, 7]) }],
    ['dense1.bias', { dtype: 'float32', shape: [2], data: Float32Array.from([0.5, -1.25]) }],
  ]),
  velocities: new Map([['dense1.weight', { dtype: 'float32', shape: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, Math.PI]) }]]),
  epochs: [],
  meta: { trial: 'abc' },
};

describe('checkpoint files', () => {
  const dir = mkdtemp(join(tmpdir(), 'rc-ckpt-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('round-trips bit-exactly, keeping float64 storage', async () => {
    const path = join(await dir, 'sub', 'a.ckpt');
    await saveCheckpoint(path, checkpoint);
    const back = await loadCheckpoint(path);
    expect(back.epoch).toBe(2);
    expect(back.step).toBe(40);
    expect(back.seed).toBe('trial-7');
    expect(back.meta).toEqual({ trial: 'abc' });
    expect(back.params.get('dense1.weight')!.data).toEqual(checkpoint.params.get('dense1.weight')!.data);
    expect(back.params.get('dense1.weight')!.data).toBeInstanceOf(Float64Array);
    expect(back.params.get('dense1.bias')!.data).toBeInstanceOf(Float32Array);
    expect(Object.is((back.params.get('dense1.weight')!.data as Float64Array)[4], -0)).toBe(true);
    expect(back.velocities.get('dense1.weight')!.data).toEqual(checkpoint.velocities.get('dense1.weight')!.data);
  });

  it('names the file and the problem for corrupt, truncated or foreign files', async () => {
    const bytes = encodeCheckpoint(checkpoint);
    const path = join(await dir, 'bad.ckpt');
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x40;
    await writeFile(path, flipped);
    await expect(loadCheckpoint(path)).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(path)).rejects.toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')}: corrupt data: CRC-32`));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8), 'cut.ckpt')).toThrow(/cut\.ckpt: truncated/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 5), 'tiny.ckpt')).toThrow(/tiny\.ckpt: truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('hello world, not a checkpoint'), 'x.txt')).toThrow(/x\.txt: not a checkpoint file/);
    const header = bytes.slice();
    header[14] = 0xff; // inside the JSON header
    expect(() => decodeCheckpoint(header, 'h.ckpt')).toThrow(/h\.ckpt: corrupt header/);
    await expect(loadCheckpoint(join(await dir, 'missing.ckpt'))).rejects.toThrow(/missing\.ckpt: cannot read/);
    expect((await readFile(path)).length).toBe(bytes.length);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
