/** The `importer` capability of the ONNX backend. */
import type { ImportedModel, ModelImporter } from '@rank-collapse/backend';
import { importOnnxFile } from './import-onnx-file.js';

export interface OnnxImporterOptions {
  /** Largest file accepted, in bytes. */
  readonly maxModelBytes: number;
}

export function createOnnxImporter(options: OnnxImporterOptions): ModelImporter {
  return {
    importModel: (path: string): Promise<ImportedModel> => importOnnxFile(path, options),
  };
}
