/**
 * The packages as a user gets them: built with tsc, packed with `pnpm pack`, installed from the tarballs into
 * a fresh folder outside the repo with the README's npm command (registry only for third-party packages),
 * then each README's example run there — no workspace links, no `source` condition, no vitest.
 * About a minute (tsc builds and npm). RANK_COLLAPSE_SKIP_CONSUMERS=1 skips it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Dependency order: tsc reads the declarations of the packages built before.
const PACKED = ['backend', 'metrics', 'model-files', 'backend-onnx', 'rows', 'sweep'];
let dir: string;
let tarballs: Record<string, string>;

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${stdout}${stderr}`.slice(0, 4000));
  }
}

/** The first ```ts block of a package README, with TypeScript's non-null assertions removed (run as JS). */
function readmeExample(name: string): string {
  const readme = readFileSync(join(ROOT, 'packages', name, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`packages/${name}/README.md has no ts example`);
  return block[1].replace(/!(?=[.[(])/g, '');
}

/** Runs a module in the consumer folder and returns what it printed. */
function runModule(file: string, code: string): string {
  writeFileSync(join(dir, file), code);
  return sh(process.execPath, [file], dir);
}

describe.skipIf(Boolean(process.env.RANK_COLLAPSE_SKIP_CONSUMERS))('packages installed from their tarballs', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rc-consumer-'));
    const packs = join(dir, 'packs');
    tarballs = {};
    for (const name of PACKED) {
      const packageDir = join(ROOT, 'packages', name);
      sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], packageDir);
      sh('pnpm', ['pack', '--pack-destination', packs], packageDir);
    }
    for (const file of readdirSync(packs)) tarballs[file.replace(/^rank-collapse-(.*)-\d+\.\d+\.\d+.*\.tgz$/, '$1')] = join(packs, file);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // The root README's command, with tarballs in place of registry names.
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.backend, tarballs.metrics, tarballs['model-files'], tarballs['backend-onnx'], 'onnxruntime-node@1.30.0'], dir, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  }, 240_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('every tarball holds dist with declarations, README, CHANGELOG, the MIT LICENSE, and no tests', () => {
    for (const name of PACKED) {
      const files = sh('tar', ['tzf', tarballs[name]], dir).split('\n');
      for (const file of ['package/README.md', 'package/CHANGELOG.md', 'package/LICENSE', 'package/dist/index.js', 'package/dist/index.d.ts']) expect(files, name).toContain(file);
      expect(files.filter((file) => file.endsWith('.test.ts') || file.includes('__fixtures__')), name).toEqual([]);
      const license = sh('tar', ['xzf', tarballs[name], '-O', 'package/LICENSE'], dir);
      expect(license).toContain('Copyright (c) 2026 the rank-collapse authors');
      const manifest = JSON.parse(sh('tar', ['xzf', tarballs[name], '-O', 'package/package.json'], dir));
      expect(manifest.engines, name).toEqual({ node: '>=20.19' });
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toContain('workspace:');
    }
  });

  it('runs the backend README example (reference backend, without vitest)', () => {
    expect(existsSync(join(dir, 'node_modules', 'vitest'))).toBe(false);
    const printed = runModule('backend-example.mjs', `${readmeExample('backend')}\nconsole.log(JSON.stringify(Array.from(dW.data)));\n`);
    expect(JSON.parse(printed)).toEqual([2.75, 3.25, 3.75, 2.75, 3.25, 3.75]);
  });

  it('runs the metrics README example', () => {
    const prelude = `
const weights = new Float32Array(512 * 784);
for (let i = 0; i < 512; i++) for (let j = 0; j < 784; j++) weights[i * 784 + j] = Math.sin(i + 1) * Math.cos(j + 1) + (i === j ? 1e-3 : 0);
const labels = Int32Array.from({ length: 100 }, (_, n) => n % 10);
const features = Float32Array.from({ length: 100 * 8 }, (_, k) => labels[Math.floor(k / 8)] * (k % 8) + Math.sin(k));
`;
    const printed = runModule('metrics-example.mjs', `${prelude}${readmeExample('metrics')}\nconsole.log(JSON.stringify({ numericalRank, tailK, relativeTailK, tcv, nc1, traceRatio }));\n`);
    const result = JSON.parse(printed);
    // W is rank one plus 1e-3 on the diagonal: one large singular value, 511 of 1e-3.
    expect(result.numericalRank).toBe(1);
    expect(result.relativeTailK).toBeGreaterThan(0);
    expect(result.relativeTailK).toBeLessThan(0.01);
    expect(Number.isFinite(result.tcv) && Number.isFinite(result.nc1)).toBe(true);
  });

  it('runs the backend-onnx README example (train step, import, export) with onnxruntime-node', () => {
    copyFileSync(join(ROOT, 'packages/backend-onnx/src/import/__fixtures__/tiny-resnet-opset17.onnx'), join(dir, 'resnet.onnx'));
    const prelude = `
import { GraphBuilder, float32, gradients } from '@rank-collapse/backend';
const g = new GraphBuilder('linear-step');
const xIn = g.input('x', 'float32', ['N', 3]);
const yIn = g.input('y', 'float32', ['N', 2]);
const w = g.param('W', [2, 3], 'weight');
const residual = g.sub(g.gemm(xIn, w, undefined, { transB: true }), yIn);
g.output(g.reduceMean(g.mul(residual, residual), undefined, false), 'loss');
const { graph: trainStepGraph, gradients: names } = gradients(g.build(), { of: 'loss', wrt: ['W'] });
const x = float32([2, 3], [1, 2, 3, 4, 5, 6]);
const y = float32([2, 2], [1, 0, 0, 1]);
const params = { W: float32([2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) };
const nextParamNames = [names.W];
`;
    const check = `
const loss = await backend.download(out.loss);
const reimported = await backend.importer.importModel('copy.onnx');
const count = (params) => (params instanceof Map ? params.size : Object.keys(params).length);
console.log(JSON.stringify({ loss: Array.from(loss.data), params: count(model.params), reimported: count(reimported.params), device: backend.device }));
`;
    const printed = runModule('onnx-example.mjs', `${prelude}${readmeExample('backend-onnx')}${check}`);
    const result = JSON.parse(printed);
    // loss = mean of the squared residuals of x·Wᵀ − y: rows [1.4−1, 3.2] and [3.2, 7.7−1].
    const expected = (0.4 ** 2 + 3.2 ** 2 + 3.2 ** 2 + 6.7 ** 2) / 4;
    expect(result.loss[0]).toBeCloseTo(expected, 4);
    expect(result.params).toBeGreaterThan(0);
    expect(result.reimported).toBe(result.params);
    expect(result.device).toMatch(/onnxruntime/);
  });

  it('sweep: its public types need nothing a consumer has to add (better-sqlite3 types come with it)', () => {
    // Types only: --ignore-scripts skips compiling better-sqlite3, which this check does not run.
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarballs.rows, tarballs.sweep], dir);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false }, files: ['sweep-consumer.ts'] }));
    writeFileSync(
      join(dir, 'sweep-consumer.ts'),
      `import { openSweepStore, type SweepStore } from '@rank-collapse/sweep';\nconst store: SweepStore = openSweepStore('s.sqlite');\nconst rows: number = store.trials().length;\nexport { rows };\n`,
    );
    // tsc prints the errors and exits non-zero when a declaration names a package that is not installed.
    expect(() => sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir)).not.toThrow();
  });
});
