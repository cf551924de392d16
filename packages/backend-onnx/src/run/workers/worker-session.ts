/** A model loaded into the run workers, behind the two session methods the executable uses. */
import type { OrtNamespace, OrtSession, OrtTensor } from '../../ort-namespace.js';
import type { RunWorkerPool } from './run-worker-pool.js';

export function workerSession(ort: OrtNamespace, pool: RunWorkerPool, model: number): OrtSession {
  const session = {
    async run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>): Promise<Record<string, OrtTensor>> {
      const results = await pool.run(model, feeds, Object.keys(fetches));
      const out: Record<string, OrtTensor> = {};
      for (const [name, t] of Object.entries(results)) out[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, [...t.dims]);
      return out;
    },
    async release(): Promise<void> {
      pool.release(model);
    },
  };
  return session as unknown as OrtSession;
}
