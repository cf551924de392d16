import { REDUCTION_KERNELS_WASM } from './wasm/reduction-kernels-binary.js';

/**
 * The hot loops of the Householder reductions, on one float64 working memory addressed by offsets (in doubles).
 * Two implementations with the same arithmetic up to summation order: WebAssembly SIMD (f64x2, faster than V8's
 * scalar code) and plain JavaScript (the fallback where WebAssembly SIMD is missing). Internal.
 */
export interface ReductionKernels {
  /** Which implementation this is. */
  readonly kind: 'wasm' | 'javascript';
  /**
   * A view of the working memory with at least `doubles` entries; earlier views may be invalidated. `scratch`
   * more doubles beyond them are kept for the kernels' own use (a second thread's buffers).
   */
  reserve(doubles: number, scratch?: number): Float64Array;
  /** One fused bidiagonalization pass over rows i0..i1−1 (see householder-bidiagonalization.ts). */
  bidiagonalRows(
    a: number, n: number, k: number, i0: number, i1: number,
    w: number, v: number, z: number, u: number, column: number,
    tauLeft: number, tauRight: number, wv: number,
  ): void;
  /** Applies reflectors kFirst..kFirst+kCount−1 (vector t at vBase + t·n, τ_t at taus + t) to rows r0..r1−1. */
  reflectRows(a: number, n: number, r0: number, r1: number, vBase: number, taus: number, kFirst: number, kCount: number): void;
  /**
   * Applies b reflectors (b a multiple of 4) in compact WY form to rows r0..r1−1 on columns k0..n−1:
   * row ← row − ((row·V) T) Vᵀ, V's column t at vBase + t·n (zero before its index), T b×b at tBase, y 4b scratch.
   */
  applyBlockRows(a: number, n: number, r0: number, r1: number, vBase: number, tBase: number, b: number, k0: number, y: number): void;
  /**
   * One read-only pass of step k of the deferred-update bidiagonalization (blocked-bidiagonalization.ts) over
   * rows i0..i1−1: x_i = τ_R (A_i[k:]·v[k:] − P_i·coefA), c_i = A_i[k] − P_i·coefB − x_i, P_i[kk] = x_i,
   * col[i] = c_i, and for i ≥ k+2: z[k+1:] += c_i A_i[k+1:], wsum += c_i P_i (P_i: T doubles at p + i·T).
   */
  deferredPass(
    a: number, n: number, k: number, i0: number, i1: number, v: number, p: number, T: number, kk: number,
    coefA: number, coefB: number, tauR: number, column: number, z: number, wsum: number,
  ): void;
  /**
   * Rows r0..r1−1 (row i at rows + i·rowStride) on columns j0..j0+length−1: row −= Σ_{t<T} P_i[t] Q_t, with P_i at
   * p + i·pStride and Q_t at q + t·qStride; T a multiple of 4.
   */
  rankUpdate(rows: number, rowStride: number, r0: number, r1: number, j0: number, length: number, q: number, qStride: number, p: number, pStride: number, T: number): void;
  /** out[t] = x·Q_t over `length` entries for t < T (Q_t at q + t·qStride; T a multiple of 4). */
  dotsWith(x: number, q: number, qStride: number, T: number, length: number, out: number): void;
  /** Releases threads and memory held for this reduction; the kernels are unusable afterwards. */
  close?(): void;
}

/** The part of the WebAssembly API used here (declared locally: the package targets ES2023 without DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface WasmExports {
  memory: WasmMemory;
  bidiagonalRows(...args: number[]): void;
  reflectRows(...args: number[]): void;
  applyBlockRows(...args: number[]): void;
  deferredPass(...args: number[]): void;
  rankUpdate(...args: number[]): void;
  dotsWith(...args: number[]): void;
}

let wasmModule: object | null | undefined;

/** Thrown by the WebAssembly kernels when their memory cannot grow to the matrix (32-bit memories stop at 4 GiB). */
export class WasmMemoryError extends RangeError {
  constructor(doubles: number) {
    super(`WebAssembly memory cannot hold ${doubles} doubles`);
    this.name = 'WasmMemoryError';
  }
}

/** The WebAssembly kernels when this runtime supports WebAssembly SIMD, else the JavaScript ones. */
export function createReductionKernels(preferWasm = true): ReductionKernels {
  if (preferWasm) {
    if (wasmModule === undefined) wasmModule = compileWasm();
    if (wasmModule !== null) return wasmKernels(wasmModule);
  }
  return javascriptKernels();
}

function compileWasm(): object | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  try {
    const bytes = Uint8Array.from(atob(REDUCTION_KERNELS_WASM), (c) => c.charCodeAt(0));
    return new api.Module(bytes);
  } catch {
    return null; // no WebAssembly or no SIMD support: the JavaScript kernels compute the same thing
  }
}

// Each call gets a fresh instance, so a large matrix's memory is garbage-collected with it (memory cannot shrink).
function wasmKernels(module: object): ReductionKernels {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const exports = new api.Instance(module, {}).exports as WasmExports;
  const memory = exports.memory;
  let view = new Float64Array(memory.buffer);
  return {
    kind: 'wasm',
    reserve(doubles) {
      const needed = Math.ceil((doubles * 8 - memory.buffer.byteLength) / 65536);
      if (needed > 0) {
        try {
          memory.grow(needed);
        } catch {
          throw new WasmMemoryError(doubles);
        }
      }
      if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
      return view;
    },
    bidiagonalRows(a, n, k, i0, i1, w, v, z, u, column, tauLeft, tauRight, wv) {
      exports.bidiagonalRows(a * 8, n, k, i0, i1, w * 8, v * 8, z * 8, u * 8, column * 8, tauLeft, tauRight, wv);
    },
    reflectRows(a, n, r0, r1, vBase, taus, kFirst, kCount) {
      exports.reflectRows(a * 8, n, r0, r1, vBase * 8, taus * 8, kFirst, kCount);
    },
    applyBlockRows(a, n, r0, r1, vBase, tBase, b, k0, y) {
      exports.applyBlockRows(a * 8, n, r0, r1, vBase * 8, tBase * 8, b, k0, y * 8);
    },
    deferredPass(a, n, k, i0, i1, v, p, T, kk, coefA, coefB, tauR, column, z, wsum) {
      exports.deferredPass(a * 8, n, k, i0, i1, v * 8, p * 8, T, kk, coefA * 8, coefB * 8, tauR, column * 8, z * 8, wsum * 8);
    },
    rankUpdate(rows, rowStride, r0, r1, j0, length, q, qStride, p, pStride, T) {
      exports.rankUpdate(rows * 8, rowStride * 8, r0, r1, j0, length, q * 8, qStride * 8, p * 8, pStride * 8, T);
    },
    dotsWith(x, q, qStride, T, length, out) {
      exports.dotsWith(x * 8, q * 8, qStride * 8, T, length, out * 8);
    },
  };
}

function javascriptKernels(): ReductionKernels {
  let heap = new Float64Array(0);
  const dot = (x: number, y: number, length: number): number => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t = 0;
    for (; t + 3 < length; t += 4) {
      s0 += heap[x + t] * heap[y + t];
      s1 += heap[x + t + 1] * heap[y + t + 1];
      s2 += heap[x + t + 2] * heap[y + t + 2];
      s3 += heap[x + t + 3] * heap[y + t + 3];
    }
    for (; t < length; t++) s0 += heap[x + t] * heap[y + t];
    return s0 + s1 + (s2 + s3);
  };
  return {
    kind: 'javascript',
    reserve(doubles) {
      if (heap.length < doubles) {
        const grown = new Float64Array(doubles);
        grown.set(heap);
        heap = grown;
      }
      return heap;
    },
    bidiagonalRows(a, n, k, i0, i1, w, v, z, u, column, tauLeft, tauRight, wv) {
      for (let i = i0; i < i1; i++) {
        const row = a + i * n + k;
        const c1 = tauLeft * heap[u + i];
        const c2 = tauRight * (dot(row, v + k, n - k) - c1 * wv);
        const ai = heap[row] - c1 * heap[w + k] - c2;
        heap[row] = ai;
        heap[column + i] = ai;
        const zc = i === k + 1 ? 0 : ai;
        for (let j = 1; j < n - k; j++) {
          const t = heap[row + j] - c1 * heap[w + k + j] - c2 * heap[v + k + j];
          heap[row + j] = t;
          heap[z + k + j] += zc * t;
        }
      }
    },
    reflectRows(a, n, r0, r1, vBase, taus, kFirst, kCount) {
      for (let i = r0; i < r1; i++) {
        for (let t = 0; t < kCount; t++) {
          const tau = heap[taus + t];
          if (tau === 0) continue;
          const k = kFirst + t;
          const row = a + i * n + k;
          const vector = vBase + t * n + k;
          const c = tau * dot(row, vector, n - k);
          for (let j = 0; j < n - k; j++) heap[row + j] -= c * heap[vector + j];
        }
      }
    },
    applyBlockRows(a, n, r0, r1, vBase, tBase, b, k0, y) {
      const length = n - k0;
      for (let i = r0; i < r1; i++) {
        const row = a + i * n + k0;
        for (let t = 0; t < b; t++) heap[y + t] = dot(row, vBase + t * n + k0, length);
        for (let j = 0; j < b; j++) {
          let s = 0;
          for (let t = 0; t <= j; t++) s += heap[y + t] * heap[tBase + t * b + j];
          heap[y + b + j] = s;
        }
        for (let t = 0; t < b; t++) {
          const c = heap[y + b + t];
          const vector = vBase + t * n + k0;
          for (let j = 0; j < length; j++) heap[row + j] -= c * heap[vector + j];
        }
      }
    },
    deferredPass(a, n, k, i0, i1, v, p, T, kk, coefA, coefB, tauR, column, z, wsum) {
      for (let i = i0; i < i1; i++) {
        const row = a + i * n + k;
        const pi = p + i * T;
        const x = tauR * (dot(row, v + k, n - k) - dot(pi, coefA, T));
        const c = heap[row] - dot(pi, coefB, T) - x;
        heap[pi + kk] = x;
        heap[column + i] = c;
        if (i === k + 1) continue;
        for (let j = 1; j < n - k; j++) heap[z + k + j] += c * heap[row + j];
        for (let t = 0; t < T; t++) heap[wsum + t] += c * heap[pi + t];
      }
    },
    rankUpdate(rows, rowStride, r0, r1, j0, length, q, qStride, p, pStride, T) {
      for (let i = r0; i < r1; i++) {
        const row = rows + i * rowStride + j0;
        for (let t = 0; t < T; t++) {
          const c = heap[p + i * pStride + t];
          if (c === 0) continue;
          const qt = q + t * qStride + j0;
          for (let j = 0; j < length; j++) heap[row + j] -= c * heap[qt + j];
        }
      }
    },
    dotsWith(x, q, qStride, T, length, out) {
      for (let t = 0; t < T; t++) heap[out + t] = dot(x, q + t * qStride, length);
    },
  };
}
