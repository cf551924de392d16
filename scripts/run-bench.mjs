#!/usr/bin/env node
// `pnpm bench`: runs every bench/*.mjs in turn (each prints one JSON line per measurement on stdout),
// forwarding arguments (e.g. `pnpm bench --reps 3`), and repeats all result lines at the end.
// `pnpm bench train-mlp probe-mlp --reps 3` runs only the named benchmarks.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'bench';
const args = process.argv.slice(2);
// Leading bare words name benchmarks; everything from the first option on is forwarded to each.
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const forwarded = firstOption < 0 ? [] : args.slice(firstOption);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => names.length === 0 || names.includes(f.replace(/\.mjs$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${names.join(', ')} in ${dir}/`);
  process.exit(1);
}

const results = [];
let failed = 0;
for (const file of files) {
  console.error(`\n== ${file}`);
  const run = spawnSync(process.execPath, ['--conditions=source', join(dir, file), ...forwarded], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(run.stdout ?? '');
  for (const line of (run.stdout ?? '').split('\n')) if (line.startsWith('{')) results.push(line);
  if (run.status !== 0) {
    failed++;
    console.error(`${file} exited with ${run.status ?? run.signal}`);
  }
}
console.error(`\n== ${results.length} results from ${files.length} benchmarks${failed ? `, ${failed} failed` : ''}`);
for (const line of results) console.error(line);
process.exit(failed ? 1 : 0);
