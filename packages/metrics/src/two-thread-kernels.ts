import { WasmMemoryError, type ReductionKernels } from './reduction-kernels.js';
import { REDUCTION_KERNELS_SHARED_WASM } from './wasm/reduction-kernels-binary.js';

/**
 * The WebAssembly kernels split over two threads (the calling thread and one worker) on a shared memory, for
 * large matrices in Node.js. Each pass hands half of the trailing rows to the worker and waits for it with
 * Atomics (the call stays synchronous); the worker accumulates its share of z in a private buffer that the
 * caller adds in. Results equal the one-thread kernels up to the order of that one addition. Internal.
 */

/** Bytes before the heap: Int32 [0] sequence, [1] done, [2] command, [3] ready; Float64 arguments from byte 16. */
const CONTROL_BYTES = 256;
/** Passes smaller than this many matrix entries are not worth a hand-off (a few microseconds each). */
const MIN_SHARED_WORK = 1 << 15;
/** A worker that does not answer within this time is taken as lost (a bug, not a slow machine). */
const WORKER_TIMEOUT_MS = 120_000;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ module, memory }) => {
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const control = new Int32Array(memory.buffer, 0, 4);
  let sequence = Atomics.load(control, 0);
  Atomics.store(control, 3, 1);
  Atomics.notify(control, 3);
  for (;;) {
    for (let spin = 0; spin < 20000 && Atomics.load(control, 0) === sequence; spin++);
    while (Atomics.load(control, 0) === sequence) Atomics.wait(control, 0, sequence);
    sequence = Atomics.load(control, 0);
    const command = Atomics.load(control, 2);
    const a = new Float64Array(memory.buffer, 16, 15);
    if (command === 1) kernels.bidiagonalRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
    else if (command === 2) kernels.applyBlockRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    else if (command === 3) kernels.deferredPass(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]);
    else if (command === 4) kernels.rankUpdate(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
    Atomics.store(control, 1, sequence);
    Atomics.notify(control, 1);
    if (command === 0) break;
  }
});
`;

interface SharedMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
}
interface SharedExports {
  reflectRows(...args: number[]): void;
  bidiagonalRows(...args: number[]): void;
  applyBlockRows(...args: number[]): void;
  deferredPass(...args: number[]): void;
  rankUpdate(...args: number[]): void;
  dotsWith(...args: number[]): void;
}
interface WorkerHandle {
  postMessage(value: unknown): void;
}

let sharedModule: object | null | undefined;
let worker: WorkerHandle | null | undefined;

/** Two-thread kernels, or null where shared WebAssembly memory or worker threads are unavailable. */
export function createTwoThreadKernels(): ReductionKernels | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  if (sharedModule === undefined) {
    try {
      sharedModule = new api.Module(Uint8Array.from(atob(REDUCTION_KERNELS_SHARED_WASM), (c) => c.charCodeAt(0)));
    } catch {
      sharedModule = null;
    }
  }
  const handle = startWorker();
  if (sharedModule === null || handle === null) return null;
  return twoThreadKernels(api, sharedModule, handle);
}

function startWorker(): WorkerHandle | null {
  if (worker !== undefined) return worker;
  try {
    const threads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
    if (threads === undefined) return (worker = null);
    const started = new threads.Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    started.unref(); // an idle worker must not keep the process alive
    started.on('error', () => (worker = null));
    worker = started;
  } catch {
    worker = null;
  }
  return worker;
}

function twoThreadKernels(api: WasmApi, module: object, handle: WorkerHandle): ReductionKernels {
  let memory: SharedMemory | null = null;
  let exports: SharedExports;
  let control: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let view: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let auxiliary = 0; // heap offset of the worker's private scratch
  let sequence = 0;
  const byte = (offset: number): number => CONTROL_BYTES + offset * 8;

  const waitFor = (index: number, value: number, what: string): void => {
    for (let spin = 0; spin < 20000; spin++) if (Atomics.load(control, index) === value) return;
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(control, index) !== value) {
      if (Date.now() > deadline) throw new Error(`singularValues: the worker thread did not ${what}`);
      Atomics.wait(control, index, Atomics.load(control, index), 50);
    }
  };
  const dispatch = (command: number, args: number[]): void => {
    new Float64Array(memory!.buffer, 16, args.length).set(args);
    Atomics.store(control, 2, command);
    Atomics.store(control, 0, ++sequence);
    Atomics.notify(control, 0);
  };

  return {
    kind: 'wasm',
    reserve(doubles, scratch = 0) {
      const bytes = byte(doubles + scratch);
      if (memory === null) {
        try {
          memory = new api.Memory({ initial: Math.ceil(bytes / 65536), maximum: 65536, shared: true });
        } catch {
          throw new WasmMemoryError(doubles + scratch);
        }
        exports = new api.Instance(module, { env: { memory } }).exports as SharedExports;
        control = new Int32Array(memory.buffer, 0, 4);
        handle.postMessage({ module, memory });
        waitFor(3, 1, 'start');
      } else if (bytes > memory.buffer.byteLength) {
        try {
          memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
        } catch {
          throw new WasmMemoryError(doubles + scratch);
        }
      }
      auxiliary = doubles;
      if (view.buffer !== memory.buffer || view.length < doubles + scratch) {
        view = new Float64Array(memory.buffer, CONTROL_BYTES, (memory.buffer.byteLength - CONTROL_BYTES) / 8);
      }
      return view;
    },
    bidiagonalRows(a, n, k, i0, i1, w, v, z, u, column, tauLeft, tauRight, wv) {
      const rest = [w, v, z, u, column].map(byte);
      if ((i1 - i0) * (n - k) < MIN_SHARED_WORK) {
        exports.bidiagonalRows(byte(a), n, k, i0, i1, ...rest, tauLeft, tauRight, wv);
        return;
      }
      const middle = i0 + 2 * Math.floor((i1 - i0) / 4);
      view.fill(0, auxiliary + k + 1, auxiliary + n);
      dispatch(1, [byte(a), n, k, middle, i1, byte(w), byte(v), byte(auxiliary), byte(u), byte(column), tauLeft, tauRight, wv]);
      exports.bidiagonalRows(byte(a), n, k, i0, middle, ...rest, tauLeft, tauRight, wv);
      waitFor(1, sequence, 'finish a pass');
      for (let j = k + 1; j < n; j++) view[z + j] += view[auxiliary + j];
    },
    reflectRows(a, n, r0, r1, vBase, taus, kFirst, kCount) {
      // Only panel rows (at most one block) go through here: not worth a hand-off.
      exports.reflectRows(byte(a), n, r0, r1, byte(vBase), byte(taus), kFirst, kCount);
    },
    applyBlockRows(a, n, r0, r1, vBase, tBase, b, k0, y) {
      if ((r1 - r0) * (n - k0) < MIN_SHARED_WORK) {
        exports.applyBlockRows(byte(a), n, r0, r1, byte(vBase), byte(tBase), b, k0, byte(y));
        return;
      }
      const middle = r0 + Math.floor((r1 - r0) / 2);
      dispatch(2, [byte(a), n, middle, r1, byte(vBase), byte(tBase), b, k0, byte(auxiliary)]);
      exports.applyBlockRows(byte(a), n, r0, middle, byte(vBase), byte(tBase), b, k0, byte(y));
      waitFor(1, sequence, 'finish a block');
    },
    deferredPass(a, n, k, i0, i1, v, p, T, kk, coefA, coefB, tauR, column, z, wsum) {
      const pass = (from: number, to: number, zAt: number, wsumAt: number): number[] =>
        [byte(a), n, k, from, to, byte(v), byte(p), T, kk, byte(coefA), byte(coefB), tauR, byte(column), byte(zAt), byte(wsumAt)];
      if ((i1 - i0) * (n - k) < MIN_SHARED_WORK) {
        exports.deferredPass(...pass(i0, i1, z, wsum));
        return;
      }
      // The worker takes the second half of the rows and sums into its own z and wsum, added in afterwards.
      const middle = i0 + 2 * Math.floor((i1 - i0) / 4);
      const zAux = auxiliary;
      const wsumAux = auxiliary + n;
      view.fill(0, zAux + k + 1, zAux + n);
      view.fill(0, wsumAux, wsumAux + T);
      dispatch(3, pass(middle, i1, zAux, wsumAux));
      exports.deferredPass(...pass(i0, middle, z, wsum));
      waitFor(1, sequence, 'finish a pass');
      for (let j = k + 1; j < n; j++) view[z + j] += view[zAux + j];
      for (let t = 0; t < T; t++) view[wsum + t] += view[wsumAux + t];
    },
    rankUpdate(rows, rowStride, r0, r1, j0, length, q, qStride, p, pStride, T) {
      const update = (from: number, to: number): number[] =>
        [byte(rows), rowStride * 8, from, to, j0, length, byte(q), qStride * 8, byte(p), pStride * 8, T];
      if ((r1 - r0) * length * T < 8 * MIN_SHARED_WORK || r1 - r0 < 8) {
        exports.rankUpdate(...update(r0, r1));
        return;
      }
      const middle = r0 + 4 * Math.floor((r1 - r0) / 8);
      dispatch(4, update(middle, r1));
      exports.rankUpdate(...update(r0, middle));
      waitFor(1, sequence, 'finish an update');
    },
    dotsWith(x, q, qStride, T, length, out) {
      exports.dotsWith(byte(x), byte(q), qStride * 8, T, length, byte(out));
    },
    close() {
      if (memory === null) return;
      dispatch(0, []);
      waitFor(1, sequence, 'stop');
      memory = null;
    },
  };
}
