/** Placeholder, replaced by the Layers importer. */
import type { ModelImporter } from '@rank-collapse/backend';
import { ModelFileError } from '@rank-collapse/backend';
export const layersModelImporter: ModelImporter = {
  async importModel(path: string) {
    throw new ModelFileError(path, 'not implemented');
  },
};
