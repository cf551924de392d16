#!/usr/bin/env node
// Creates the skeleton of a workspace package: node scripts/new-package.mjs packages/NAME "description"
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';

const [dir, description = ''] = process.argv.slice(2);
if (!dir) throw new Error('usage: new-package.mjs packages/NAME "description"');
const short = basename(dir);
const name = dir.startsWith('apps/') ? `@rank-collapse/${short}` : `@rank-collapse/${short}`;
if (existsSync(join(dir, 'package.json'))) throw new Error(`${dir} exists`);
mkdirSync(join(dir, 'src'), { recursive: true });
const pkg = {
  name,
  version: '0.0.0',
  description,
  type: 'module',
  license: 'MIT',
  exports: {
    '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
  },
  files: ['dist', 'src', '!src/**/*.test.ts', '!src/**/__fixtures__'],
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'tsc -p tsconfig.json --noEmit --noUnusedLocals --noUnusedParameters',
    test: 'vitest run',
  },
  dependencies: {},
  devDependencies: {},
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, allowImportingTsExtensions: true }, include: ['src', 'test', '*.ts'] }, null, 2) + '\n',
);
writeFileSync(
  join(dir, 'tsconfig.build.json'),
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      // Builds resolve sibling packages to their built `dist` (the `source` condition is for tests and type-checks).
      compilerOptions: { rootDir: 'src', outDir: 'dist', customConditions: [] },
      include: ['src'],
      exclude: ['src/**/*.test.ts', 'src/**/__fixtures__'],
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  "import { packageTestConfig } from '../../vitest.shared.ts';\n\nexport default packageTestConfig();\n",
);
writeFileSync(join(dir, 'src', 'index.ts'), `/** ${name}: ${description} */\nexport {};\n`);
writeFileSync(join(dir, 'README.md'), `# ${name}\n\n${description}\n`);
console.log(`created ${dir}`);
