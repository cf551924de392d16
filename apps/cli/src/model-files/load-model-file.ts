import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { requireCapability, type Backend, type ImportedModel } from '@rank-collapse/backend';
import { CliError, UsageError } from '../cli-error.js';
import { createBackend, type ConcreteBackendName } from '../backends/backend-factories.js';

/** Which backend's importer reads a model file, by extension: `.onnx` → onnx, `.json` (TF.js Layers) → tfjs. */
export function importerFor(file: string): ConcreteBackendName {
  const ext = extname(file).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.json') return 'tfjs';
  throw new UsageError(`cannot tell the format of "${file}": expected a .onnx file or a TensorFlow.js Layers model.json`);
}

/**
 * Reads a model file into the IR with the importer of the backend that understands its format (the
 * computation may then run on any backend). `compute` is reused when it is that backend.
 * @throws UsageError for a missing file or an unknown extension; ModelFileError from the importer;
 * BackendUnavailableError when the importing backend cannot start.
 */
export async function loadModelFile(file: string, compute?: Backend): Promise<ImportedModel> {
  const kind = importerFor(file);
  if (!existsSync(file)) throw new UsageError(`model file not found: ${file}`);
  const owner = compute && (compute.name === kind || compute.name.startsWith(`${kind}-`)) && compute.importer ? compute : await createBackend(kind);
  const imported = await requireCapability(owner, 'importer').importModel(file);
  if (imported.graph.inputs.length === 0 || imported.graph.outputs.length === 0) {
    throw new CliError(`${file}: the model has no data input or no output`);
  }
  return imported;
}
