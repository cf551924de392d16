import { ModelFileError } from '@rank-collapse/backend';
import { decodeModel, type ModelProto } from '@rank-collapse/model-files/onnx';

/**
 * Decodes the bytes of an ONNX file as it is (for running or rewriting it, not importing it).
 * @throws ModelFileError naming `file` when the bytes are not an ONNX model.
 */
export function decodeModelFile(bytes: Uint8Array, file: string): ModelProto {
  try {
    return decodeModel(bytes);
  } catch (error) {
    throw new ModelFileError(file, `is not a valid ONNX model (${(error as Error).message})`, { cause: error });
  }
}
