/**
 * createTfjsBackend of the `./core` entry: the Backend contract on an injected TensorFlow.js namespace, without
 * the Layers-model importer (it reads files), so it bundles for a browser or a Web Worker as it is.
 */
import { RunError, SPECIFICATION_VERSION, isResident, type Backend, type Feed, type Graph, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import { toHostTensor, toTfTensor } from './host-conversion.js';
import type { Tf } from './tf-namespace.js';
import { TfjsExecutable } from './tfjs-executable.js';
import { disposeResident, unwrapResident, wrapResident } from './tfjs-resident.js';

export interface TfjsBackendSettings {
  /** The TensorFlow.js namespace (`@tensorflow/tfjs`, `@tensorflow/tfjs-node`, or tfjs-core with a backend registered and set). */
  readonly tf: Tf;
  /** Backend name reported to callers. Default: `tfjs-<tf backend>`, with tfjs-node's "tensorflow" reported as `tfjs-node`. */
  readonly name?: string;
  /** Device description. Default: tfjs version and active tf backend. */
  readonly device?: string;
}

/** Name of the active tf backend as this package reports it ("tensorflow" is tfjs-node's native backend). */
export const tfjsBackendLabel = (tfBackend: string): string => `tfjs-${tfBackend === 'tensorflow' ? 'node' : tfBackend}`;

/**
 * Returns a Backend running IR graphs with the given `tf` on its currently active backend (set it with
 * `await tf.setBackend(...)` first, or use `loadTfjs`). Parameters stay resident as kept tf.Tensors between runs;
 * each run is one `tf.tidy` scope. int64 is carried as int32 inside tfjs. No `importer` capability (the main
 * entry's createTfjsBackend adds it).
 * @throws RunError at compile or run time if the active tf backend was switched after creation.
 */
export function createTfjsBackend(settings: TfjsBackendSettings): Backend {
  const { tf } = settings;
  const tfBackend = tf.getBackend();
  const name = settings.name ?? tfjsBackendLabel(tfBackend);
  const version = tf.version_core;
  const device = settings.device ?? `TensorFlow.js ${version}, ${tfBackend} backend`;
  const checkActive = () => {
    const now = tf.getBackend();
    if (now !== tfBackend) throw new RunError(`${name}: the active tf backend changed from "${tfBackend}" to "${now}" after this backend was created`);
  };
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name,
    device,
    async compile(graph: Graph) {
      checkActive();
      return new TfjsExecutable(tf, name, graph);
    },
    upload(tensor: HostTensor): ResidentTensor {
      checkActive();
      return wrapResident(name, tensor.dtype, toTfTensor(tf, tensor, 'upload'));
    },
    async download(tensor: Feed): Promise<HostTensor> {
      if (!isResident(tensor)) return tensor;
      return toHostTensor(unwrapResident(name, tensor, 'download'), tensor.dtype);
    },
    dispose(tensor: ResidentTensor): void {
      disposeResident(tensor);
    },
  };
}
