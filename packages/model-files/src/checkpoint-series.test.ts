import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCheckpointSeries, listCheckpoints } from './checkpoint-series.js';

const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
const run = join(dir, 'run');
mkdirSync(join(run, 'nested.pt'), { recursive: true });
for (const name of ['epoch-10.pt', 'epoch-2.pt', 'epoch-1.pt', 'final.pt', 'notes.txt', 'model-3.safetensors']) writeFileSync(join(run, name), 'x');
writeFileSync(join(dir, 'outside.pt'), 'x');

describe('listCheckpoints', () => {
  it('orders a folder by the last number in each name, files without one first, other endings and folders left out', () => {
    expect(listCheckpoints(run).map((f) => [f.name, f.step])).toEqual([
      ['final.pt', null],
      ['epoch-1.pt', 1],
      ['epoch-2.pt', 2],
      ['model-3.safetensors', 3],
      ['epoch-10.pt', 10],
    ]);
  });

  it('takes a pattern in the last segment', () => {
    expect(listCheckpoints(join(run, 'epoch-*.pt')).map((f) => f.name)).toEqual(['epoch-1.pt', 'epoch-2.pt', 'epoch-10.pt']);
    expect(listCheckpoints(join(run, 'epoch-?.pt')).map((f) => f.name)).toEqual(['epoch-1.pt', 'epoch-2.pt']);
    expect(isCheckpointSeries(join(run, 'epoch-*.pt'))).toBe(true);
    expect(isCheckpointSeries(run)).toBe(true);
    expect(isCheckpointSeries(join(run, 'epoch-1.pt'))).toBe(false);
  });

  it('says what is missing, and refuses a listed link that leads outside the folder', () => {
    expect(() => listCheckpoints(join(run, '*.onnx'))).toThrow(/no file matches "\*\.onnx"/);
    expect(() => listCheckpoints(join(dir, 'none'))).toThrow(/cannot list the checkpoint folder \(ENOENT\)/);
    const linked = join(dir, 'linked');
    mkdirSync(linked);
    symlinkSync(join(dir, 'outside.pt'), join(linked, 'epoch-1.pt'));
    expect(() => listCheckpoints(linked)).toThrow(/checkpoint "epoch-1\.pt" leads outside the model's folder through a link/);
  });
});
