/**
 * An independent float64 implementation of a ReLU MLP's forward pass and per-sample backward signals, written
 * with plain loops, to check the probe-graph + autodiff pipeline of `analyze` against.
 */
import type { HostTensor } from '@rank-collapse/backend';

export interface HostMlpPass {
  /** h_{l−1} per layer: N × n_l (row-major). */
  inputs: Float64Array[];
  /** δ_l per layer: N × m_l. */
  deltas: Float64Array[];
  /** G_l = (1/N) Σ_i δ_i h_iᵀ, m_l × n_l. */
  gradients: Float64Array[];
  logits: Float64Array;
  meanLoss: number;
}

/** Layers `dense1..denseL` with weights [m, n] (z = W h + b), ReLU between, softmax cross-entropy. */
export function hostMlpPass(params: ReadonlyMap<string, HostTensor>, layerCount: number, x: Float32Array, labels: Int32Array, K: number): HostMlpPass {
  const N = labels.length;
  const inputs: Float64Array[] = [];
  const zs: Float64Array[] = [];
  const shapes: [number, number][] = [];
  let h = Float64Array.from(x);
  for (let l = 1; l <= layerCount; l++) {
    const W = params.get(`dense${l}.weight`)!;
    const b = params.get(`dense${l}.bias`)!;
    const [m, n] = W.shape as [number, number];
    shapes.push([m, n]);
    inputs.push(h);
    const z = new Float64Array(N * m);
    for (let i = 0; i < N; i++)
      for (let r = 0; r < m; r++) {
        let s = Number(b.data[r]);
        for (let c = 0; c < n; c++) s += Number(W.data[r * n + c]) * h[i * n + c];
        z[i * m + r] = s;
      }
    zs.push(z);
    h = l < layerCount ? z.map((v) => Math.max(v, 0)) : z;
  }
  const logits = zs[layerCount - 1];
  const deltas: Float64Array[] = new Array(layerCount);
  let delta = new Float64Array(N * K);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[i * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(logits[i * K + k] - max);
    for (let k = 0; k < K; k++) delta[i * K + k] = Math.exp(logits[i * K + k] - max) / sum - (k === labels[i] ? 1 : 0);
    loss += -(logits[i * K + labels[i]] - max - Math.log(sum));
  }
  for (let l = layerCount - 1; l >= 0; l--) {
    deltas[l] = delta;
    if (l === 0) break;
    const [m, n] = shapes[l];
    const W = params.get(`dense${l + 1}.weight`)!;
    const below = new Float64Array(N * n);
    for (let i = 0; i < N; i++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += Number(W.data[r * n + c]) * delta[i * m + r];
        below[i * n + c] = zs[l - 1][i * n + c] > 0 ? s : 0;
      }
    delta = below;
  }
  const gradients = shapes.map(([m, n], l) => {
    const G = new Float64Array(m * n);
    for (let i = 0; i < N; i++)
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) G[r * n + c] += (deltas[l][i * m + r] * inputs[l][i * n + c]) / N;
    return G;
  });
  return { inputs, deltas, gradients, logits, meanLoss: loss / N };
}
