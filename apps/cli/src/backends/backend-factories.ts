/**
 * How each concrete backend is created here. The only place that imports adapters and runtimes; each import is
 * dynamic, so a runtime that cannot load makes only its own backend unavailable.
 */
import type { Backend } from '@rank-collapse/backend';

/** Backends this command can create. */
export const CONCRETE_BACKENDS = ['onnx', 'tfjs', 'reference'] as const;
export type ConcreteBackendName = (typeof CONCRETE_BACKENDS)[number];

/** What `--backend` accepts: a concrete backend, or `auto` (onnx, then tfjs). */
export const BACKEND_CHOICES = [...CONCRETE_BACKENDS, 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Whether `name` is one of {@link BACKEND_CHOICES} (a trial config's `backend` is a plain string). */
export const isBackendChoice = (name: string): name is BackendChoice => (BACKEND_CHOICES as readonly string[]).includes(name);

/** Order in which `auto` tries backends. The reference backend is exact but slow, so `auto` never picks it. */
export const AUTO_ORDER: readonly ConcreteBackendName[] = ['onnx', 'tfjs'];

/** Settings passed to every backend factory. */
export interface BackendSettings {
  /** Threads inside one op (onnx). Default 2. */
  readonly threads?: number;
}


/** Creates one backend by name. @throws BackendUnavailableError saying why it cannot run here. */
export async function createBackend(name: ConcreteBackendName, settings: BackendSettings = {}): Promise<Backend> {
  switch (name) {
    case 'onnx': {
      const { createOnnxBackend, loadOrt } = await import('@rank-collapse/backend-onnx');
      const ort = await loadOrt();
      return createOnnxBackend({ ort, intraOpThreads: settings.threads ?? 2 });
    }
    case 'tfjs': {
      const { createTfjsBackend, loadTfjs } = await import('@rank-collapse/backend-tfjs');
      const loaded = await loadTfjs();
      // The description's first clause names the flavor; the failures of faster flavors belong to `backends`.
      return createTfjsBackend({ tf: loaded.tf, device: loaded.description.split(';')[0] });
    }
    case 'reference': {
      // The float64 interpreter, without the conformance suite of ./testing (which needs vitest).
      const { createReferenceBackend } = await import('@rank-collapse/backend/reference');
      return createReferenceBackend();
    }
  }
}
