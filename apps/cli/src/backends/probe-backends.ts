import { GraphBuilder, float32, type HostTensor } from '@rank-collapse/backend';
import { CONCRETE_BACKENDS, createBackend, type BackendSettings, type ConcreteBackendName } from './backend-factories.js';

/** What `rank-collapse backends` reports for one backend. */
export interface BackendProbe {
  backend: ConcreteBackendName;
  /** True when the backend started and ran a small graph correctly. */
  available: boolean;
  /** Where it runs (e.g. `onnxruntime-node 1.30.0, CPU, 2 threads`), when available. */
  device?: string;
  /** Why it cannot run here, when not available. */
  reason?: string;
  /** Optional capabilities: import and export of model files. */
  importer: boolean;
  exporter: boolean;
  /** Milliseconds to start the backend and run the smoke test. */
  ms: number;
}

/**
 * Starts every backend and runs a small graph (y = x·Wᵀ + 1) on it, so `available` means "works here", not
 * merely "installed". Never throws: failures become `reason`.
 */
export async function probeBackends(settings: BackendSettings = {}): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const name of CONCRETE_BACKENDS) {
    const started = performance.now();
    try {
      const backend = await createBackend(name, settings);
      await smokeTest(backend);
      probes.push({ backend: name, available: true, device: backend.device, importer: Boolean(backend.importer), exporter: Boolean(backend.exporter), ms: performance.now() - started });
      await backend.close?.();
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      probes.push({ backend: name, available: false, reason, importer: false, exporter: false, ms: performance.now() - started });
    }
  }
  return probes;
}

async function smokeTest(backend: import('@rank-collapse/backend').Backend): Promise<void> {
  const g = new GraphBuilder('smoke-test');
  const x = g.input('x', 'float32', ['N', 2]);
  const w = g.param('W', [2, 2], 'weight');
  const one = g.constant(float32([], [1]));
  g.output(g.add(g.matmul(x, w, { transB: true }), one), 'y');
  const executable = await backend.compile(g.build());
  try {
    const out = await executable.run({ x: float32([1, 2], [1, 2]), W: float32([2, 2], [1, 0, 0, 2]) });
    const y = await backend.download(out.y as HostTensor);
    const expected = [2, 5];
    if (y.data.length !== 2 || expected.some((v, i) => Math.abs(Number(y.data[i]) - v) > 1e-5)) {
      throw new Error(`smoke test computed [${Array.from(y.data as ArrayLike<number>)}], expected [2, 5]`);
    }
  } finally {
    executable.dispose();
  }
}
