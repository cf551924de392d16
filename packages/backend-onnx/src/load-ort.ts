/** Loads onnxruntime-node on demand, turning a missing or broken install into a clear error. */
import { BackendUnavailableError } from '@rank-collapse/backend';
import type { OrtNamespace } from './ort-namespace.js';

/**
 * Dynamically imports `onnxruntime-node` (a peer dependency) and returns its namespace.
 * @throws BackendUnavailableError with the loader's reason (not installed, native binding missing, ...).
 */
export async function loadOrt(): Promise<OrtNamespace> {
  const specifier = 'onnxruntime-node';
  try {
    const module = (await import(specifier)) as OrtNamespace & { default?: OrtNamespace };
    const ort = module.InferenceSession ? module : module.default;
    if (!ort?.InferenceSession) throw new Error('the module has no InferenceSession export');
    return ort;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BackendUnavailableError('onnx', `cannot load onnxruntime-node (${reason}); install it with \`pnpm add onnxruntime-node@^1.30\``, { cause: error });
  }
}
