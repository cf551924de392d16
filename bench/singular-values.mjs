#!/usr/bin/env node
// Benchmark: singularValues of @rank-collapse/metrics (from source, through tsx) against numpy's
// np.linalg.svd(a, compute_uv=False) on the same random matrices, in the same run, alternating project and
// peer, median of REPS repetitions. Prints one JSON line per size: {"name","project_s","peer_s","ratio"}.
//
//   node bench/singular-values.mjs [--reps 3] [--sizes 512x512,1024x1024,512x4608] [--threads 1|2] [--keep-openblas-env]
//
// The peer runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (this machine pins them for old OpenBLAS
// builds, which slows a current numpy); --keep-openblas-env keeps them. The BLAS kernel in use goes to stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const reps = Number(option('--reps', '3'));
const sizes = option('--sizes', '512x512,1024x1024,512x4608')
  .split(',')
  .map((s) => s.split('x').map(Number));
const keepEnv = args.includes('--keep-openblas-env');
const threads = Number(option('--threads', '1'));

const metrics = await tsImport('../packages/metrics/src/index.ts', import.meta.url);
const { createRng } = await tsImport('../packages/backend/src/random.ts', import.meta.url);

const env = { ...process.env };
if (!keepEnv) {
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
}
const peer = spawn('python3', [join(here, 'singular-values-peer.py')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
const nextLine = async () => {
  const { value, done } = await lines.next();
  if (done) throw new Error('numpy peer exited early');
  return value;
};
await nextLine(); // "ready"

// Other processes on this machine slow both sides (numpy's two BLAS threads more than one JS thread): say how busy it was.
console.error(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'sv-bench-'));
try {
  for (const [rows, cols] of sizes) {
    const rng = createRng(`bench-${rows}x${cols}`);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const file = join(dir, `${rows}x${cols}.f64`);
    writeFileSync(file, Buffer.from(data.buffer));
    const W = { rows, cols, data };
    metrics.singularValues({ rows: Math.min(rows, 64), cols: Math.min(cols, 64), data: data.subarray(0, Math.min(rows, 64) * Math.min(cols, 64)) });
    const projectTimes = [];
    const peerTimes = [];
    for (let r = 0; r < reps; r++) {
      const start = performance.now();
      const sigma = metrics.singularValues(W, { threads });
      projectTimes.push((performance.now() - start) / 1000);
      peer.stdin.write(`${file} ${rows} ${cols}\n`);
      const [seconds, peerSigma1] = (await nextLine()).split(' ').map(Number);
      peerTimes.push(seconds);
      if (Math.abs(sigma[0] - peerSigma1) > 1e-10 * peerSigma1) throw new Error(`σ₁ differs: ${sigma[0]} vs numpy ${peerSigma1}`);
    }
    const project_s = median(projectTimes);
    const peer_s = median(peerTimes);
    console.log(JSON.stringify({ name: `singular-values ${rows}x${cols}`, project_s, peer_s, ratio: project_s / peer_s }));
  }
} finally {
  console.error(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  peer.stdin.end('\n');
  rmSync(dir, { recursive: true, force: true });
}
