/** Reads an `.onnx` file into the IR, turning every kind of bad input into a ModelFileError. */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFileError, type ImportedModel } from '@rank-collapse/backend';
import { decodeModel } from '@rank-collapse/model-files/onnx';
import { onnxModelToIr } from './onnx-to-ir.js';

export interface ImportOnnxOptions {
  /** Largest file accepted, in bytes. */
  readonly maxModelBytes: number;
}

/**
 * Imports the model at `path` (external data files are read from its folder only).
 * @throws ModelFileError naming the file: unreadable, too large, not ONNX, unsupported or inconsistent.
 */
export async function importOnnxFile(path: string, options: ImportOnnxOptions): Promise<ImportedModel> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    size = s.size;
  } catch (error) {
    throw new ModelFileError(path, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (size > options.maxModelBytes) throw new ModelFileError(path, `is ${size} bytes, over the limit of ${options.maxModelBytes} bytes (option maxModelBytes)`);
  const bytes = await readFile(path);
  return importOnnxBytes(bytes, path, dirname(path));
}

/**
 * Imports model bytes; `file` names them in errors, `modelDir` is the only folder external data is read from.
 * @throws ModelFileError naming `file` for every problem (never another error type).
 */
export function importOnnxBytes(bytes: Uint8Array, file: string, modelDir: string): ImportedModel {
  if (bytes.length === 0) throw new ModelFileError(file, 'is empty');
  let model;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new ModelFileError(file, `not a valid ONNX model (protobuf decoding failed: ${error instanceof Error ? error.message : String(error)}); truncated or another format?`, { cause: error });
  }
  try {
    return onnxModelToIr(model, file, modelDir);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, `malformed model: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
