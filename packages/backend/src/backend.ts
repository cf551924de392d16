/**
 * The Backend interface: what every compute backend implements. A change here is a breaking change for
 * every adapter: bump SPECIFICATION_VERSION and say so in the changeset.
 */
import type { Graph, HostTensor, TensorType } from './ir/types.js';

export const SPECIFICATION_VERSION = 'rank-collapse-backend/1' as const;

/** A tensor kept on the backend (device memory, a runtime tensor) between runs. Opaque to callers. */
export interface ResidentTensor extends TensorType {
  readonly kind: 'resident';
  readonly shape: readonly number[];
  /** Which backend owns it; passing it to another backend throws. */
  readonly backend: string;
}

export type Feed = HostTensor | ResidentTensor;

export interface RunOptions {
  /** Outputs returned as resident tensors (not downloaded), e.g. updated parameters. Others come back as host tensors. */
  readonly keepResident?: readonly string[];
  /** Outputs to compute; default: all graph outputs. */
  readonly fetch?: readonly string[];
}

export interface Executable {
  readonly graph: Graph;
  /**
   * Runs the graph on named feeds (every graph input and param must be fed).
   * @throws RunError naming the missing or mistyped feed, or wrapping the runtime's failure.
   */
  run(feeds: Readonly<Record<string, Feed>>, options?: RunOptions): Promise<Record<string, Feed>>;
  /** Releases the compiled session and its buffers. */
  dispose(): void;
}

export interface CompileOptions {
  /** Free-form hints a backend may use (e.g. an expected batch size for static shapes). */
  readonly hints?: Readonly<Record<string, unknown>>;
}

/** Reads a model file into the IR (optional capability). */
export interface ModelImporter {
  /** Returns the graph and its parameter values by param name. @throws ModelFileError naming the file. */
  importModel(path: string, options?: Readonly<Record<string, unknown>>): Promise<ImportedModel>;
}

export interface ImportedModel {
  readonly graph: Graph;
  readonly params: ReadonlyMap<string, HostTensor>;
  /** Where it came from and anything lost in translation. */
  readonly source: { readonly file: string; readonly format: string; readonly notes: readonly string[] };
}

/** Writes a graph and its parameters as a model file (optional capability). */
export interface ModelExporter {
  exportModel(graph: Graph, params: ReadonlyMap<string, HostTensor>, path: string): Promise<void>;
}

export interface Backend {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** Short stable name, e.g. "reference", "onnx", "tfjs-wasm". */
  readonly name: string;
  /** Human description of where it runs, e.g. "onnxruntime-node 1.30, CPU, 2 threads". */
  readonly device: string;
  /** Compiles a graph once; run it many times. @throws GraphError or UnsupportedError naming the op. */
  compile(graph: Graph, options?: CompileOptions): Promise<Executable>;
  /** Copies a host tensor to the backend. */
  upload(tensor: HostTensor): ResidentTensor;
  /** Copies a resident tensor to the host. */
  download(tensor: Feed): Promise<HostTensor>;
  /** Frees a resident tensor. Disposing twice is harmless. */
  dispose(tensor: ResidentTensor): void;
  /** Optional capabilities; check before use or call `requireCapability`. */
  readonly importer?: ModelImporter;
  readonly exporter?: ModelExporter;
  /** Releases everything the backend holds. */
  close?(): Promise<void>;
}

export const isResident = (f: Feed): f is ResidentTensor => (f as ResidentTensor).kind === 'resident';
