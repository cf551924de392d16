/**
 * The build check: the playground's bundles (the page and its worker, with every package they pull in) contain
 * no import or require of a Node.js builtin, and the page names only its own files, by relative paths.
 * Module specifiers are read from a real parse of the emitted JavaScript (TypeScript's parser), so code inside
 * string literals does not count; esbuild's metafile says which modules went in.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground, type BuiltPlayground } from '../scripts/build-playground.ts';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);

interface Found {
  /** Static imports/exports, `import()` and `require()` with a string argument. */
  specifiers: string[];
  /** Calls of `getBuiltinModule(...)`, with whether the callee is reached through optional chaining on `process`. */
  builtinLookups: { argument: string; guarded: boolean }[];
  /** `require` or `import()` called with something other than a string literal. */
  dynamicLoads: string[];
}

/** Walks the syntax tree of `code` for every way it could load a module. */
export function moduleLoads(code: string): Found {
  const source = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: Found = { specifiers: [], builtinLookups: [], dynamicLoads: [] };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.specifiers.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const first = node.arguments[0];
      const isLoad = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      if (isLoad) {
        if (first && ts.isStringLiteralLike(first)) found.specifiers.push(first.text);
        else found.dynamicLoads.push(node.getText(source).slice(0, 80));
      }
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'getBuiltinModule') {
        const text = node.getText(source).replace(/\s/g, '');
        found.builtinLookups.push({ argument: first && ts.isStringLiteralLike(first) ? first.text : '?', guarded: /process\?\.getBuiltinModule\?\.\(/.test(text) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the playground bundle', () => {
  let out: string;
  let built: BuiltPlayground;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'playground-build-'));
    built = await buildPlayground({ outDir: join(out, 'dist') });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('the check itself sees imports, requires and unguarded lookups, and ignores strings', () => {
    const found = moduleLoads(`import a from "node:fs"; export * from "path"; require("zlib"); import("node:os"); require(x);
      const s = "require('node:child_process')"; const t = \`require('node:net')\`; globalThis.process?.getBuiltinModule?.("node:worker_threads"); process.getBuiltinModule("node:vm");`);
    expect(found.specifiers).toEqual(['node:fs', 'path', 'zlib', 'node:os']);
    expect(found.dynamicLoads).toEqual(['require(x)']);
    expect(found.builtinLookups).toEqual([{ argument: 'node:worker_threads', guarded: true }, { argument: 'node:vm', guarded: false }]);
  });

  it('bundles no Node.js builtin: no such module in the graph, no import or require of one in the output', () => {
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs.some((p) => p.includes('packages/backend-tfjs/src/create-tfjs-backend-core.ts'))).toBe(true);
    expect(inputs.some((p) => p.includes('packages/analysis/src/analyze.ts'))).toBe(true);
    expect(inputs.filter((p) => isBuiltin(p) || p.includes('node_modules/@tensorflow/tfjs-node'))).toEqual([]);
    const externals = Object.values(built.metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external).map((imp) => imp.path));
    expect(externals).toEqual([]);
    for (const file of ['main.js', 'worker.js']) {
      const found = moduleLoads(readFileSync(join(built.outDir, file), 'utf8'));
      expect(found.specifiers.filter(isBuiltin), file).toEqual([]);
      // metrics looks up worker_threads at run time only through process?.getBuiltinModule?., undefined in browsers.
      expect(found.builtinLookups.filter((l) => !l.guarded), file).toEqual([]);
    }
  });

  it('ships the page, both bundles, the wasm binaries and the data, and names them by relative paths only', () => {
    expect(built.files).toEqual(
      expect.arrayContaining(['index.html', 'style.css', 'main.js', 'worker.js', 'data/mnist-subset.bin', 'tfjs/tfjs-backend-wasm.wasm', 'tfjs/tfjs-backend-wasm-simd.wasm', 'tfjs/tfjs-backend-wasm-threaded-simd.wasm']),
    );
    const html = readFileSync(join(built.outDir, 'index.html'), 'utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual(['data:,', './style.css', './main.js']);
    const main = readFileSync(join(built.outDir, 'main.js'), 'utf8');
    expect(main).toContain('./worker.js');
    const worker = readFileSync(join(built.outDir, 'worker.js'), 'utf8');
    for (const path of ['./tfjs/', './data/mnist-subset.bin']) expect(worker).toContain(path);
    for (const file of ['main.js', 'worker.js']) expect(readFileSync(join(built.outDir, file), 'utf8'), file).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]*(cdn|unpkg|jsdelivr|googleapis|tfhub|storage)/i);
  });
});
