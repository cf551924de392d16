#!/usr/bin/env node
// Start-up time of the installed command (apps/cli/bin/rank-collapse → dist): seconds for `--help`,
// `--version` and `analyze --weights-only` of a small model from the fixtures, best and median of N runs.
//   node bench/cli-start.mjs [runs=7]
// Build first (`pnpm install` does, or `pnpm build:dist`). Not a test: the numbers depend on the machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}apps/cli/bin/rank-collapse`;
if (!existsSync(`${root}apps/cli/dist/bin.js`)) {
  console.error('bench/cli-start: apps/cli/dist is missing; run `pnpm build:dist` (or `pnpm install`) first');
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 7);
const model = `${root}packages/backend-onnx/src/import/__fixtures__/mlp-opset14.onnx`;
const cases = [
  ['--help', ['--help']],
  ['--version', ['--version']],
  ['analyze --weights-only (mlp-opset14.onnx)', ['analyze', model, '--weights-only']],
];
for (const [label, args] of cases) {
  const seconds = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.status !== 0) {
      console.error(`${label}: exit ${result.status}: ${result.stderr}`);
      process.exit(1);
    }
  }
  seconds.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} best ${seconds[0].toFixed(3)} s, median ${seconds[Math.floor(runs / 2)].toFixed(3)} s (${runs} runs)`);
}
