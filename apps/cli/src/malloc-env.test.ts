import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
