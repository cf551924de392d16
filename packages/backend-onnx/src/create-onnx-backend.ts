/** The ONNX Runtime backend factory. */
import {
  GraphError,
  SPECIFICATION_VERSION,
  isResident,
  type Backend,
  type CompileOptions,
  type Executable,
  type Feed,
  type Graph,
  type HostTensor,
  type ResidentTensor,
  RunError,
} from '@rank-collapse/backend';
import { compileToOnnx } from './compile/compile-to-onnx.js';
import { createOnnxExporter } from './export/onnx-exporter.js';
import { createOnnxImporter } from './import/onnx-importer.js';
import { DEFAULT_MAX_MODEL_BYTES, DEFAULT_MAX_RECYCLED_BYTES, sessionOptionsOf, type OnnxBackendOptions } from './onnx-backend-options.js';
import { encodeModel } from '@rank-collapse/model-files/onnx';
import { OnnxExecutable } from './run/onnx-executable.js';
import { ONNX_BACKEND_NAME, OnnxResidentTensor } from './run/onnx-resident.js';
import { ResidentPool } from './run/resident-pool.js';
import { SessionCache } from './run/session-cache.js';
import type { OrtSession } from './ort-namespace.js';
import { fromOrtTensor, toOrtTensor } from './run/ort-tensors.js';

const copyData = (t: HostTensor): HostTensor => ({ dtype: t.dtype, shape: [...t.shape], data: t.data.slice() });

/**
 * A Backend that compiles each IR graph to one ONNX model (opset 17) and runs it in one onnxruntime
 * InferenceSession; params are session inputs, so resident params pass between runs without copies.
 * Can import `.onnx` files (`importer`) and export graphs with their params (`exporter`).
 * @throws nothing itself; `compile` throws GraphError/UnsupportedError, `run` RunError.
 */
export function createOnnxBackend(options: OnnxBackendOptions): Backend {
  const { ort } = options;
  const sessionOptions = sessionOptionsOf(options);
  const providers = (sessionOptions.executionProviders ?? []).map((p) => (typeof p === 'string' ? p : p.name)).join('+');
  const version = ort.env?.versions?.node ?? ort.env?.versions?.common ?? '?';
  const sessions = new SessionCache();
  // IR output name → ONNX output name, per session (the same for every executable sharing it).
  const names = new WeakMap<OrtSession, ReadonlyMap<string, string>>();
  const pool = options.recycleResidentBuffers === false ? undefined : new ResidentPool(options.maxRecycledBytes ?? DEFAULT_MAX_RECYCLED_BYTES);

  const backend: Backend = {
    specificationVersion: SPECIFICATION_VERSION,
    name: ONNX_BACKEND_NAME,
    device: `onnxruntime-node ${version}, ${providers.toUpperCase()}, ${sessionOptions.intraOpNumThreads} threads`,

    async compile(graph: Graph, compileOptions?: CompileOptions): Promise<Executable> {
      const overrides = compileOptions?.hints?.staticDims as Record<string, number> | undefined;
      const create = async () => {
        const { model, outputNames } = compileToOnnx(graph, { producerVersion: version, foldGemmEpilogues: sessionOptions.intraOpNumThreads === 1 });
        try {
          const session = await ort.InferenceSession.create(encodeModel(model), overrides ? { ...sessionOptions, freeDimensionOverrides: overrides } : sessionOptions);
          names.set(session, outputNames);
          return session;
        } catch (error) {
          throw new GraphError(`graph "${graph.name}": onnxruntime rejected the compiled model: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      };
      const { session, release } = await sessions.acquire(graph, JSON.stringify(overrides ?? null), create);
      return new OnnxExecutable(graph, ort, session, release, names.get(session)!, pool);
    },

    upload(tensor: HostTensor): ResidentTensor {
      // A copy, so later writes to the caller's array do not reach the resident tensor.
      const own = copyData(tensor);
      return new OnnxResidentTensor(own.dtype, own.shape, toOrtTensor(ort, own), pool);
    },

    async download(tensor: Feed): Promise<HostTensor> {
      if (!isResident(tensor)) return tensor;
      if (!(tensor instanceof OnnxResidentTensor)) throw new RunError(`download: resident tensor belongs to backend "${tensor.backend}"`);
      return copyData(fromOrtTensor(tensor.tensor('download: resident tensor'), 'download'));
    },

    dispose(tensor: ResidentTensor): void {
      if (tensor instanceof OnnxResidentTensor) tensor.dispose();
    },

    async close(): Promise<void> {
      pool?.clear();
    },

    importer: createOnnxImporter({ maxModelBytes: options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES }),
    exporter: createOnnxExporter(),
  };
  return backend;
}
