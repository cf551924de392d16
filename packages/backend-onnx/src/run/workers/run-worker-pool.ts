/**
 * Worker threads that each hold an onnxruntime session per compiled model and run requests in parallel.
 * onnxruntime-node runs a session on the calling thread and then copies every output into fresh JS memory on
 * that same thread, so one session keeps one core busy with copies while the other waits. With one session per
 * worker thread (one intra-op thread each), runs issued together proceed side by side; outputs come back by
 * transfer, not copy. Resident tensors are sent to a worker once and cached there by id until disposed.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { OrtSessionOptions, OrtTensor } from '../../ort-namespace.js';
import { residentDisposals, residentIds } from '../onnx-resident.js';
import { RUN_WORKER_SOURCE } from './run-worker-source.js';

/** A tensor as it crosses between threads. */
export interface WireTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayBufferView;
}

interface Slot {
  readonly worker: Worker;
  inFlight: number;
  /** Ids of the resident tensors this worker holds. */
  readonly residents: Set<number>;
  failure?: Error;
}

type Copyable = ArrayBufferView & { slice(): ArrayBufferView & { buffer: ArrayBuffer } };

export class RunWorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (v: Record<string, WireTensor>) => void; reject: (e: Error) => void; slot: Slot }>();
  private nextRequest = 1;
  private nextModel = 1;
  private readonly drop = (id: number): void => {
    for (const slot of this.slots) if (slot.residents.delete(id)) slot.worker.postMessage({ kind: 'drop', resident: id });
  };

  constructor(count: number) {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    this.slots = Array.from({ length: count }, () => {
      const worker = new Worker(RUN_WORKER_SOURCE, { eval: true, workerData: { ortPath } });
      const slot: Slot = { worker, inFlight: 0, residents: new Set() };
      worker.on('message', (m: { id: number; result?: Record<string, WireTensor>; error?: string }) => this.settle(m));
      worker.on('error', (error) => this.fail(slot, error));
      worker.on('exit', (code) => this.fail(slot, new Error(`run worker exited with code ${code}`)));
      // Idle workers do not keep the process alive; a worker with requests in flight does (see request).
      worker.unref();
      return slot;
    });
    residentDisposals.add(this.drop);
  }

  /** Loads a model into every worker; returns its id. */
  async load(bytes: Uint8Array, options: OrtSessionOptions): Promise<number> {
    const model = this.nextModel++;
    await Promise.all(this.slots.map((slot) => this.request(slot, { kind: 'load', model, bytes, options })));
    return model;
  }

  release(model: number): void {
    for (const slot of this.slots) if (!slot.failure) slot.worker.postMessage({ kind: 'release', model });
  }

  /** Runs `model` on the least busy worker; resident feeds travel once per worker. */
  run(model: number, feeds: Readonly<Record<string, OrtTensor>>, fetch: readonly string[]): Promise<Record<string, WireTensor>> {
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const wire: object[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      const resident = residentIds.get(t);
      const header = { name, type: t.type, dims: [...t.dims] };
      if (resident !== undefined && slot.residents.has(resident)) {
        wire.push({ ...header, resident });
        continue;
      }
      // A copy of exactly the view: cloning a view would copy its whole underlying buffer.
      const data = (t.data as Copyable).slice();
      transfer.push(data.buffer);
      if (resident !== undefined) slot.residents.add(resident);
      wire.push({ ...header, data, ...(resident !== undefined && { resident }) });
    }
    return this.request(slot, { kind: 'run', model, feeds: wire, fetch: [...fetch] }, transfer);
  }

  async close(): Promise<void> {
    residentDisposals.delete(this.drop);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private request(slot: Slot, message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Record<string, WireTensor>> {
    if (slot.failure) return Promise.reject(slot.failure);
    const id = this.nextRequest++;
    if (slot.inFlight++ === 0) slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private settle(m: { id: number; result?: Record<string, WireTensor>; error?: string }): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (--p.slot.inFlight === 0) p.slot.worker.unref();
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result ?? {});
  }

  private fail(slot: Slot, error: Error): void {
    slot.failure ??= error;
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(error);
    }
  }
}
