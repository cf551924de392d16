#!/usr/bin/env node
// Benchmark: the weights-only analysis of a BERT-base-shaped safetensors file (≈110 M parameters: embeddings
// 30522×768, 12 layers of Q, K, V, O 768×768 and FFN 768×3072 / 3072×768, norms and biases; random weights
// written by PyTorch into a temp folder at bench time). Project: openWeightFile + analyzeWeights (read, singular
// values, spectral metrics of every matrix, one thread). Peer: the numpy script a user would write
// (bench/weights-file-peer.py: header + np.memmap, float64 np.linalg.svd(compute_uv=False) per 2-D tensor, the
// same metrics). Same run, alternating. Prints {"name","project_s","peer_s","ratio"} and, on stderr, peak RSS.
//
//   node bench/weights-file.mjs [--reps 3] [--peer-threads 1] [--python /usr/bin/python3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { compare, ensureSourceConditions, option, startPeer } from './lib/harness.mjs';

await ensureSourceConditions();
const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(option('--reps', '3'));
// The project's singular values run on one thread (analyzeWeights' default): the peer's BLAS gets as many.
const peerThreads = Number(option('--peer-threads', '1'));
const python = option('--python', '/usr/bin/python3');
/** K of the tails: a two-class head on top of the encoder. */
const K = 2;

const { openWeightFile } = await tsImport('../packages/model-files/src/index.ts', import.meta.url);
const { analyzeWeights } = await tsImport('../packages/analysis/src/index.ts', import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'weights-file-bench-'));
const file = join(dir, 'model.safetensors');
try {
  const written = JSON.parse(execFileSync(python, [join(here, 'weights-file-peer.py'), 'write', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  console.error(`# ${file}: ${(written.bytes / 2 ** 20).toFixed(0)} MiB, ${(written.parameters / 1e6).toFixed(1)} M parameters`);
  const peer = await startPeer(python, [join(here, 'weights-file-peer.py'), 'serve', String(peerThreads)], { library: 'numpy', blasThreads: peerThreads });
  console.error(`# peer: numpy ${peer.ready.ready}, OpenBLAS threads ${peer.ready.threads}; project: singular values on 1 thread`);
  console.error(`# load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const projectRssBefore = process.resourceUsage().maxRSS;
  // Where the project's time goes: reading alone (every matrix decoded, nothing analyzed), once.
  const readStart = performance.now();
  let values = 0;
  for await (const item of (await openWeightFile(file)).items()) if (item.kind === 'matrix') values += item.data.length;
  const readSeconds = (performance.now() - readStart) / 1000;
  console.error(`# project read alone: ${readSeconds.toFixed(2)} s for ${(values / 1e6).toFixed(1)} M matrix values`);
  let peerResult = null;
  let projectSigma1 = null;
  await compare({
    name: 'weights-file-bert-base',
    repetitions: reps,
    warmup: 0,
    project: async () => {
      const start = performance.now();
      const analysis = await analyzeWeights(await openWeightFile(file), { numClasses: K });
      const seconds = (performance.now() - start) / 1000;
      projectSigma1 = Object.fromEntries(analysis.rows.map((r) => [r.layer, r.spectralNorm]));
      return seconds;
    },
    peer: async () => {
      peerResult = await peer.request({ path: file, K });
      return peerResult.seconds;
    },
    extra: () => ({ project_read_s: Math.round(readSeconds * 1000) / 1000, project_peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024), peer_peak_rss_mib: Math.round(peerResult.max_rss_kb / 1024) }),
  });
  peer.close();
  // Both sides must have analyzed the same matrices to the same spectra.
  const names = Object.keys(peerResult.sigma1);
  if (names.length !== Object.keys(projectSigma1).length) throw new Error(`project analyzed ${Object.keys(projectSigma1).length} matrices, numpy ${names.length}`);
  for (const name of names) {
    const [a, b] = [projectSigma1[name], peerResult.sigma1[name]];
    if (!(Math.abs(a - b) <= 1e-9 * b)) throw new Error(`σ₁ of ${name}: project ${a}, numpy ${b}`);
  }
  const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
  console.error(`# ${names.length} matrices, σ₁ agree to 1e-9`);
  console.error(`# peak RSS: project ${mib(process.resourceUsage().maxRSS)} (${mib(projectRssBefore)} before the first analysis), numpy ${mib(peerResult.max_rss_kb)} (${mib(peer.ready.rss_kb)} after import)`);
  console.error(`# load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
