import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '@rank-collapse/backend';
import { resolveInside } from './safe-path.js';

const dir = mkdtempSync(join(tmpdir(), 'safe-path-'));
const model = join(dir, 'model', 'model.json');
mkdirSync(join(dir, 'model', 'sub'), { recursive: true });
writeFileSync(join(dir, 'model', 'sub', 'shard.bin'), 'ok');
writeFileSync(join(dir, 'secret.bin'), 'secret bytes');
symlinkSync(join(dir, 'secret.bin'), join(dir, 'model', 'link.bin'));
symlinkSync(join(dir, 'model', 'sub', 'shard.bin'), join(dir, 'model', 'inner-link.bin'));

const refuse = (name: string): ModelFileError => {
  try {
    resolveInside(model, join(dir, 'model'), name, 'weight shard');
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error(`"${name}" was accepted`);
};

describe('resolveInside', () => {
  it('resolves files inside the folder, links that stay inside included', () => {
    expect(resolveInside(model, join(dir, 'model'), 'sub/shard.bin', 'weight shard')).toMatch(/sub\/shard\.bin$/);
    expect(resolveInside(model, join(dir, 'model'), './sub/../sub/shard.bin', 'weight shard')).toMatch(/sub\/shard\.bin$/);
    expect(resolveInside(model, join(dir, 'model'), 'inner-link.bin', 'weight shard')).toMatch(/sub\/shard\.bin$/);
  });

  it('refuses "..", absolute paths and links out, naming the file and the path as written', () => {
    const up = refuse('../secret.bin');
    expect(up.message).toContain(model);
    expect(up.message).toMatch(/weight shard "\.\.\/secret\.bin" is outside the model's folder/);
    expect(refuse('../../../../etc/passwd').message).toMatch(/outside the model's folder/);
    expect(refuse(join(dir, 'secret.bin')).message).toMatch(/absolute path/);
    expect(refuse('link.bin').message).toMatch(/through a link/);
    expect(refuse('').message).toMatch(/empty or invalid path/);
    expect(refuse('a\0b').message).toMatch(/empty or invalid path/);
  });

  it('says nothing of files outside the folder: the same message whether they exist or not', () => {
    const existing = refuse('../secret.bin').message.replace('secret.bin', 'X');
    const missing = refuse('../nothing.bin').message.replace('nothing.bin', 'X');
    expect(existing).toBe(missing);
    expect(existing).not.toMatch(/bytes|size/);
  });

  it('refuses a dangling link out as a link out, not as a missing file', () => {
    symlinkSync(join(dir, 'nothing.bin'), join(dir, 'model', 'dangling.bin'));
    expect(refuse('dangling.bin').message).toBe(refuse('link.bin').message.replace('link.bin', 'dangling.bin'));
  });

  it('names a missing file inside the folder', () => {
    expect(refuse('sub/none.bin').message).toMatch(/"sub\/none\.bin" does not exist/);
  });
});
