#!/usr/bin/env node
// Benchmark: singularValues of @rank-collapse/metrics against numpy's np.linalg.svd(a, compute_uv=False)
// (LAPACK dgesdd, values only) on the same random N(0, 1) matrices, in the same run, alternating project and
// peer, median of --reps repetitions. Prints one JSON line per size (bench/lib/harness.mjs compare) with
// "max_error": max_j |σ_j − σ_j(LAPACK)| / σ₁.
//
//   node bench/singular-values.mjs [--reps 3] [--sizes 512x512,1024x1024,768x3072,4096x4096] [--threads 2]
//                                  [--python /usr/bin/python3] [--keep-openblas-env]
//
// Both sides use both cores: the project with `threads` (default 2), numpy with OpenBLAS threads = cores. The
// peer runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (peerEnv) and is checked first (checkPeer).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';

await ensureSourceConditions();
const { singularValues } = await tsImport('../packages/metrics/src/index.ts', import.meta.url);
const { createRng } = await tsImport('../packages/backend/src/random.ts', import.meta.url);

const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
const sizes = option('--sizes', '512x512,1024x1024,768x3072,4096x4096')
  .split(',')
  .map((s) => s.split('x').map(Number));
const threads = Number(option('--threads', '2'));
const python = option('--python', '/usr/bin/python3');

const peer = await startPeer(python, [join(here, 'singular-values-peer.py')], { library: 'numpy', blasThreads: availableParallelism() });
console.error(`# peer numpy ${peer.ready.numpy} (${python}); project threads ${threads}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const dir = mkdtempSync(join(tmpdir(), 'sv-bench-'));
try {
  for (const [rows, cols] of sizes) {
    const rng = createRng(`bench-${rows}x${cols}`);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const file = join(dir, `${rows}x${cols}.f64`);
    writeFileSync(file, Buffer.from(data.buffer));
    const W = { rows, cols, data };
    let sigma = null;
    const project = () => {
      const start = performance.now();
      sigma = singularValues(W, { threads });
      return (performance.now() - start) / 1000;
    };
    const peerRun = async () => (await peer.request({ path: file, rows, cols })).seconds;
    // The largest sizes take seconds per call: the smaller ones before them have warmed both sides up.
    const warmup = rows * cols > 4e6 ? 0 : 1;
    const errorOf = () => {
      const bytes = readFileSync(`${file}.sigma`);
      const reference = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      let worst = 0;
      for (let j = 0; j < reference.length; j++) worst = Math.max(worst, Math.abs(sigma[j] - reference[j]));
      return worst / reference[0];
    };
    const result = await compare({ name: `singular-values ${rows}x${cols}`, project, peer: peerRun, repetitions: reps, warmup, extra: () => ({ max_error: errorOf() }) });
    if (!(result.max_error <= 1e-12)) throw new Error(`singular-values ${rows}x${cols}: error ${result.max_error}·σ₁ against LAPACK`);
  }
} finally {
  console.error(`# load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  peer.close();
  rmSync(dir, { recursive: true, force: true });
}
