/**
 * loadTfjs: finds the fastest TensorFlow.js that works here — tfjs-node (native TensorFlow), else the wasm
 * backend (SIMD, single thread in Node, .wasm files read from the installed package, no network), else the
 * pure-JS cpu backend — and says which one it got and why each earlier one failed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { BackendUnavailableError } from '@rank-collapse/backend';
import type { Tf } from './tf-namespace.js';

export type TfjsFlavor = 'node' | 'wasm' | 'cpu';

export interface LoadTfjsOptions {
  /** Flavors to try, in order. Default `['node', 'wasm', 'cpu']`. */
  readonly prefer?: readonly TfjsFlavor[];
}

export interface LoadedTfjs {
  /** The tf namespace with the chosen backend active; pass it to `createTfjsBackend({ tf })`. */
  readonly tf: Tf;
  readonly flavor: TfjsFlavor;
  /** Why each flavor tried before the chosen one failed, in order. */
  readonly failures: readonly { readonly flavor: TfjsFlavor; readonly reason: string }[];
  /** One line for logs, e.g. "tfjs wasm (SIMD, 1 thread); node failed: …". */
  readonly description: string;
}

const require = createRequire(import.meta.url);

/** The CommonJS module object, whether `import()` handed back a namespace or its default. */
const moduleOf = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;

async function loadNode(): Promise<Tf> {
  const tf = moduleOf<Tf>(await import('@tensorflow/tfjs-node' as string));
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") returned false');
  return tf;
}

async function loadWasm(): Promise<Tf> {
  const tf = moduleOf<Tf>(await import('@tensorflow/tfjs-core'));
  const wasm = moduleOf<{ setWasmPaths(prefix: string): void }>(await import('@tensorflow/tfjs-backend-wasm' as string));
  // The .wasm binaries ship in the package's dist/; reading them from disk needs no network.
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  wasm.setWasmPaths(dist);
  // Threaded wasm needs browser workers; in Node run single-threaded on SIMD.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error(`tf.setBackend("wasm") returned false (wasm files looked up in ${dist})`);
  return tf;
}

async function loadCpu(): Promise<Tf> {
  const tf = moduleOf<Tf>(await import('@tensorflow/tfjs-core'));
  await import('@tensorflow/tfjs-backend-cpu' as string);
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") returned false');
  // The cpu backend's first-use banner recommends tfjs-node; loadTfjs already reports why it was not used.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return tf;
}

const LOADERS: Record<TfjsFlavor, () => Promise<Tf>> = { node: loadNode, wasm: loadWasm, cpu: loadCpu };

const firstLine = (error: unknown): string => String((error as Error)?.message ?? error).split('\n')[0];

/**
 * Loads TensorFlow.js, trying the flavors in `prefer` order, and activates the first that works.
 * @throws BackendUnavailableError listing every flavor's failure when none works.
 */
export async function loadTfjs(options: LoadTfjsOptions = {}): Promise<LoadedTfjs> {
  const prefer = options.prefer ?? ['node', 'wasm', 'cpu'];
  const failures: { flavor: TfjsFlavor; reason: string }[] = [];
  for (const flavor of prefer) {
    try {
      const tf = await LOADERS[flavor]();
      const detail = flavor === 'wasm' ? ` (SIMD ${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'on' : 'off'}, 1 thread)` : '';
      const failed = failures.map((f) => `; ${f.flavor} failed: ${f.reason}`).join('');
      return { tf, flavor, failures, description: `tfjs ${flavor}${detail}${failed}` };
    } catch (error) {
      failures.push({ flavor, reason: firstLine(error) });
    }
  }
  throw new BackendUnavailableError('tfjs', failures.map((f) => `${f.flavor}: ${f.reason}`).join('; '));
}
