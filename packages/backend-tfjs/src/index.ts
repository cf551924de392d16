/** @rank-collapse/backend-tfjs: runs the IR with an injected TensorFlow.js namespace (tfjs-node, wasm or cpu); imports TF.js Layers models. */
export { createTfjsBackend, tfjsBackendLabel, type TfjsBackendSettings } from './create-tfjs-backend.js';
export { loadTfjs, type LoadTfjsOptions, type LoadedTfjs, type TfjsFlavor } from './load-tfjs.js';
export type { Tf, TfTensor } from './tf-namespace.js';
export { importLayersModel, IMPORTED_INPUT } from './import/import-layers-model.js';
