#!/usr/bin/env node
// Runs every package's tests through turbo, then prints one closing line summed over all packages
// ("tests: N passed, N failed, N skipped") from the JSON results vitest writes in each package.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
const resultFiles = roots.flatMap((root) =>
  existsSync(root) ? readdirSync(root).map((name) => join(root, name, '.vitest-result.json')) : [],
);
for (const file of resultFiles) rmSync(file, { force: true });

const args = ['turbo', 'run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)];
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const failedPackages = [];
for (const file of resultFiles) {
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests ?? 0;
  failed += result.numFailedTests ?? 0;
  skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  if ((result.numFailedTests ?? 0) > 0 || (result.numFailedTestSuites ?? 0) > 0) failedPackages.push(file.split('/').slice(0, 2).join('/'));
}
if (failedPackages.length > 0) console.log(`failing packages: ${failedPackages.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status ?? 1);
