/** Writes IR graphs with their params as `.onnx` files. */
import { writeFile } from 'node:fs/promises';
import { ModelFileError, type Graph, type HostTensor, type ModelExporter } from '@rank-collapse/backend';
import { compileToOnnx } from '../compile/compile-to-onnx.js';
import { encodeModel } from '@rank-collapse/model-files/onnx';

/** The bytes of an `.onnx` model: params as initializers, data inputs as graph inputs. @throws GraphError, UnsupportedError. */
export function exportOnnxBytes(graph: Graph, params: ReadonlyMap<string, HostTensor>): Uint8Array {
  return encodeModel(compileToOnnx(graph, { paramValues: params, portable: true }).model);
}

/** The `exporter` capability of the ONNX backend. */
export function createOnnxExporter(): ModelExporter {
  return {
    async exportModel(graph: Graph, params: ReadonlyMap<string, HostTensor>, path: string): Promise<void> {
      const bytes = exportOnnxBytes(graph, params);
      try {
        await writeFile(path, bytes);
      } catch (error) {
        throw new ModelFileError(path, `cannot write: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  };
}
