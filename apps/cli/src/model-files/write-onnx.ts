import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Backend, Graph, HostTensor } from '@rank-collapse/backend';

/**
 * Writes a graph and its params as an `.onnx` file: through `backend.exporter` when the backend has one,
 * else with the ONNX package's pure encoder (no runtime needed), so every backend can export.
 * @throws ModelFileError when the file cannot be written; GraphError/UnsupportedError for ops ONNX lacks.
 */
export async function writeOnnx(path: string, graph: Graph, params: ReadonlyMap<string, HostTensor>, backend?: Backend): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (backend?.exporter && backend.name === 'onnx') {
    await backend.exporter.exportModel(graph, params, path);
    return;
  }
  const { exportOnnxBytes } = await import('@rank-collapse/backend-onnx');
  await writeFile(path, exportOnnxBytes(graph, params));
}
