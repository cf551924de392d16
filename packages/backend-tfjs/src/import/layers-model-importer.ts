/** The `importer` capability of the tfjs backend: TensorFlow.js Layers models. */
import type { ModelImporter } from '@rank-collapse/backend';
import { importLayersModel } from './import-layers-model.js';

export const layersModelImporter: ModelImporter = {
  importModel: (path) => importLayersModel(path),
};
