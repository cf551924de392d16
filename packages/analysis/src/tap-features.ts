/**
 * Reads the per-sample feature vectors of a layer input fetched from a forward pass. A sample's feature
 * vector is everything the layer sees of it — for a convolution the whole input feature map flattened
 * (C·H·W values, as `analyze` taps conv inputs) — except that axes of tokens or time steps are pooled per
 * sample (`mean`, `cls` = position 0) or kept as samples of their own (`none`, each with its sample's label).
 */
import { GraphError } from '@rank-collapse/backend';
import type { ForwardLayout, ForwardTensor } from './forward-runner.js';

/** How per-token features become per-sample features. */
export type TokenPooling = 'mean' | 'cls' | 'none';
export const TOKEN_POOLINGS = ['mean', 'cls', 'none'] as const;

export interface TapFeatures {
  /** rows×dim, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
  /** Tokens per sample before pooling (1 when the input has no token axis). */
  readonly tokens: number;
}

/**
 * The feature rows of `t` for a batch of `n` samples.
 * @throws GraphError naming `what` when no axis of `t` holds the batch (size n) where the layout puts it.
 */
export function tapFeatures(t: ForwardTensor, n: number, layout: ForwardLayout, pooling: TokenPooling, what: string): TapFeatures {
  const dims = t.dims;
  const r = dims.length;
  const fail = (why: string): never => {
    throw new GraphError(`${what}: value of shape [${dims.join(', ')}] for a batch of ${n}: ${why}`);
  };
  let sample = -1;
  let tokenAxes: number[] = [];
  switch (layout) {
    case 'channels-first':
      if (dims[0] !== n) fail('expected the batch on axis 0 of a [N, C, …] input');
      sample = 0;
      break;
    case 'features-last':
      if (r < 2) fail('expected at least [N, D]');
      if (dims[0] === n) sample = 0;
      else if (r >= 3 && dims[1] === n) sample = 1;
      else if (r === 2 && dims[0] % n === 0) {
        // Tokens flattened into the batch ([N·T, D], sample-major): view it as [N, T, D].
        return pool(t.data, n, dims[0] / n, dims[1], pooling);
      } else fail('no axis holds the batch');
      tokenAxes = [...dims.keys()].filter((a) => a !== sample && a !== r - 1);
      break;
    case 'sequence-first':
      sample = r === 4 ? 2 : 1;
      if (dims[sample] !== n) fail(`expected the batch on axis ${sample} of a time-major recurrent value`);
      tokenAxes = [0];
      break;
    case 'batch-first-sequence':
      if (dims[0] !== n) fail('expected the batch on axis 0 of a batch-major recurrent value');
      sample = 0;
      tokenAxes = [1];
      break;
    case 'none':
      fail('the layer has no per-sample features');
  }
  const featureAxes = [...dims.keys()].filter((a) => a !== sample && !tokenAxes.includes(a));
  const T = tokenAxes.reduce((p, a) => p * dims[a], 1);
  const D = featureAxes.reduce((p, a) => p * dims[a], 1);
  const order = [sample, ...tokenAxes, ...featureAxes];
  const identity = order.every((a, i) => a === i);
  const data = identity ? t.data : permute(t.data, dims, order);
  return pool(data, n, T, D, pooling);
}

function pool(data: Float32Array, n: number, T: number, D: number, pooling: TokenPooling): TapFeatures {
  if (T === 1 || pooling === 'none') return { data, rows: n * T, dim: D, tokens: T };
  const out = new Float32Array(n * D);
  if (pooling === 'cls') {
    for (let i = 0; i < n; i++) out.set(data.subarray(i * T * D, i * T * D + D), i * D);
    return { data: out, rows: n, dim: D, tokens: T };
  }
  const sum = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    sum.fill(0);
    for (let k = 0; k < T; k++) {
      const base = (i * T + k) * D;
      for (let j = 0; j < D; j++) sum[j] += data[base + j];
    }
    for (let j = 0; j < D; j++) out[i * D + j] = sum[j] / T;
  }
  return { data: out, rows: n, dim: D, tokens: T };
}

/** out[i_order[0], i_order[1], …] = data[i_0, i_1, …]: axes reordered. */
function permute(data: Float32Array, dims: readonly number[], order: readonly number[]): Float32Array {
  const r = dims.length;
  const strides = new Array<number>(r);
  for (let a = r - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= dims[a];
  }
  const outDims = order.map((a) => dims[a]);
  const sourceStrides = order.map((a) => strides[a]);
  const out = new Float32Array(data.length);
  const index = new Array<number>(r).fill(0);
  let source = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = data[source];
    for (let a = r - 1; a >= 0; a--) {
      index[a]++;
      source += sourceStrides[a];
      if (index[a] < outDims[a]) break;
      source -= sourceStrides[a] * outDims[a];
      index[a] = 0;
    }
  }
  return out;
}
