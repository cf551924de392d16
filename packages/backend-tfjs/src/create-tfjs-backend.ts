/**
 * createTfjsBackend: the Backend contract on an injected TensorFlow.js namespace, with the importer of
 * TensorFlow.js Layers models (the core backend of create-tfjs-backend-core.ts plus file reading).
 */
import type { Backend } from '@rank-collapse/backend';
import { createTfjsBackend as createCoreBackend, type TfjsBackendSettings } from './create-tfjs-backend-core.js';
import { layersModelImporter } from './import/layers-model-importer.js';

export { tfjsBackendLabel, type TfjsBackendSettings } from './create-tfjs-backend-core.js';

/**
 * Returns a Backend running IR graphs with the given `tf` on its currently active backend (set it with
 * `await tf.setBackend(...)` first, or use `loadTfjs`). Parameters stay resident as kept tf.Tensors between runs;
 * each run is one `tf.tidy` scope. int64 is carried as int32 inside tfjs. Has the `importer` capability
 * (TensorFlow.js Layers model.json + weight shards).
 * @throws RunError at compile or run time if the active tf backend was switched after creation.
 */
export function createTfjsBackend(settings: TfjsBackendSettings): Backend {
  return { ...createCoreBackend(settings), importer: layersModelImporter };
}
