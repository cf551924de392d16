import { writeFileSync } from 'node:fs';
import { float32, type HostTensor } from '@rank-collapse/backend';
import { exportOnnxBytes } from '@rank-collapse/backend-onnx';
import { buildModel } from '@rank-collapse/models';

/** Singular values given to the first layer's W (8×196): W[i, 3i] = SIGMA[i], so σ(W) is SIGMA sorted. */
export const SIGMA = [5, 4, 3, 2, 1, 0.5, 0.001, 0];

/**
 * A 196-8-10 MLP (the tiny set's 14×14 inputs) with seeded weights, except the first layer, whose spectrum
 * is {@link SIGMA} by construction. Written as `.onnx` to `file`; returns the params for independent checks.
 */
export function writeKnownSpectrumModel(file: string): Map<string, HostTensor> {
  const model = buildModel({ kind: 'mlp', inputShape: [196], numClasses: 10, hidden: [8] });
  const params = model.initialParams(7);
  const W = new Float32Array(8 * 196);
  SIGMA.forEach((s, i) => (W[i * 196 + 3 * i] = s));
  params.set('dense1.weight', float32([8, 196], W));
  writeFileSync(file, exportOnnxBytes(model.graph, params));
  return params;
}

/** Float64 forward pass of that MLP (relu hidden layer), independent of every backend: argmax per sample. */
export function predict(params: ReadonlyMap<string, HostTensor>, x: Float32Array, count: number): Int32Array {
  const W1 = params.get('dense1.weight')!.data as Float32Array;
  const b1 = params.get('dense1.bias')!.data as Float32Array;
  const W2 = params.get('dense2.weight')!.data as Float32Array;
  const b2 = params.get('dense2.bias')!.data as Float32Array;
  const out = new Int32Array(count);
  const h = new Float64Array(8);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < 8; i++) {
      let z = b1[i];
      for (let j = 0; j < 196; j++) z += W1[i * 196 + j] * x[n * 196 + j];
      h[i] = Math.max(0, z);
    }
    let best = -Infinity;
    for (let k = 0; k < 10; k++) {
      let z = b2[k];
      for (let i = 0; i < 8; i++) z += W2[k * 8 + i] * h[i];
      if (z > best) {
        best = z;
        out[n] = k;
      }
    }
  }
  return out;
}
