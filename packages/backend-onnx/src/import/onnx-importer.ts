/** The `importer` capability of the ONNX backend. */
import type { ImportedModel, ModelImporter } from '@rank-collapse/backend';
import { importOnnxFile } from './import-onnx-file.js';

export interface OnnxImporterOptions {
  /** Largest file accepted, in bytes. */
  readonly maxModelBytes: number;
}

export function createOnnxImporter(options: OnnxImporterOptions): ModelImporter {
  return {
    /** `importOptions.maxModelBytes` overrides the backend's limit for this file. */
    importModel: (path: string, importOptions?: Readonly<Record<string, unknown>>): Promise<ImportedModel> =>
      importOnnxFile(path, { maxModelBytes: typeof importOptions?.maxModelBytes === 'number' ? importOptions.maxModelBytes : options.maxModelBytes }),
  };
}
