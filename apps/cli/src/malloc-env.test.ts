import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MALLOC_ENV } from './malloc-env.js';

const assignments = Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`);
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('malloc settings of the executable', () => {
  it('are what the #! line of bin.ts and the workspace script start node with', () => {
    const shebang = read('./bin.ts').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S ${assignments.join(' ')} node`);
    const script = JSON.parse(read('../package.json')).scripts['rank-collapse'] as string;
    expect(script).toBe(`env ${assignments.join(' ')} tsx --conditions=source src/bin.ts`);
  });

  it('reach the node process that the #! line starts (env -S works here)', () => {
    const line = read('./bin.ts').split('\n')[0].replace(/^#!\/usr\/bin\/env -S /, '').replace(/ node$/, ` ${process.execPath}`);
    const seen = execFileSync('/usr/bin/env', ['-S', line, '-e', `process.stdout.write(JSON.stringify([${Object.keys(MALLOC_ENV).map((k) => `process.env.${k}`).join(',')}]))`], { encoding: 'utf8' });
    expect(JSON.parse(seen)).toEqual(Object.values(MALLOC_ENV));
  });
});

describe('malloc settings of the installed command (bin/rank-collapse)', () => {
  // pnpm's and npm's bin shims cannot pass `env -S` assignments on, so the bin is a sh launcher that exports them.
  it('are the ones the launcher exports', () => {
    expect(read('../bin/rank-collapse')).toContain(`export ${assignments.join(' ')}\n`);
  });

  it('reach node when the launcher is reached through a symlink (a global install)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-launcher-'));
    try {
      mkdirSync(join(dir, 'cli', 'bin'), { recursive: true });
      mkdirSync(join(dir, 'cli', 'dist'));
      mkdirSync(join(dir, 'global-bin'));
      copyFileSync(new URL('../bin/rank-collapse', import.meta.url), join(dir, 'cli', 'bin', 'rank-collapse'));
      chmodSync(join(dir, 'cli', 'bin', 'rank-collapse'), 0o755);
      writeFileSync(join(dir, 'cli', 'dist', 'bin.js'), `process.stdout.write(JSON.stringify([${Object.keys(MALLOC_ENV).map((k) => `process.env.${k}`).join(',')}, process.argv.slice(2)]))`);
      symlinkSync(join(dir, 'cli', 'bin', 'rank-collapse'), join(dir, 'global-bin', 'rank-collapse'));
      const seen = execFileSync(join(dir, 'global-bin', 'rank-collapse'), ['a b', '--c'], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
      expect(JSON.parse(seen)).toEqual([...Object.values(MALLOC_ENV), ['a b', '--c']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
