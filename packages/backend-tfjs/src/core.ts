/**
 * @rank-collapse/backend-tfjs/core: the TensorFlow.js backend without anything that needs Node.js — bring a `tf`
 * namespace with its backend set (cpu, wasm, webgl, webgpu in a browser) and get a Backend. No `loadTfjs` (it
 * resolves installed packages) and no Layers-model importer (it reads files): use the main entry for those.
 */
export { createTfjsBackend, tfjsBackendLabel, type TfjsBackendSettings } from './create-tfjs-backend-core.js';
export type { Tf, TfTensor } from './tf-namespace.js';
