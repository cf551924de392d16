/**
 * findLayers on models exported by PyTorch (torch.onnx.export, fixtures from scripts/make-torch-onnx-fixtures.py)
 * and imported through the ONNX backend: every Linear and Conv2d is found, in order, and reading each weight
 * by its `weightLayout` gives back PyTorch's W.
 */
import { readFileSync } from 'node:fs';
import type { HostTensor } from '@rank-collapse/backend';
import { expectClose } from '@rank-collapse/backend/testing';
import { createOnnxBackend, loadOrt } from '@rank-collapse/backend-onnx';
import { describe, expect, it } from 'vitest';
import { findLayers } from './find-layers.js';
import type { LayerTap } from './layer-tap.js';

const fixture = (name: string): string => new URL(`./__fixtures__/${name}`, import.meta.url).pathname;
const torchLayers = JSON.parse(readFileSync(fixture('torch-layers.json'), 'utf8')) as Record<string, { shape: number[]; weight: number[]; bias: boolean }[]>;

/** W (m×n, row-major) from the stored tensor, following the tap's layout. */
function matrixOf(tap: LayerTap, t: HostTensor): number[] {
  const [m, n] = tap.matrixShape;
  const data = t.data as Float32Array;
  if (tap.weightLayout === 'out-in') return Array.from(data);
  return Array.from({ length: m * n }, (_, k) => data[(k % n) * m + Math.floor(k / n)]);
}

describe('findLayers on PyTorch models imported from ONNX', () => {
  it.each(['mlp', 'cnn'])('finds every layer of the %s with PyTorch’s W', async (name) => {
    const backend = createOnnxBackend({ ort: await loadOrt() });
    const imported = await backend.importer!.importModel(fixture(`torch-${name}.onnx`));
    const taps = findLayers(imported.graph);
    const expected = torchLayers[name];
    expect(taps).toHaveLength(expected.length);
    taps.forEach((tap, l) => {
      const shape = expected[l].shape;
      expect(tap.kind).toBe(shape.length === 4 ? 'conv' : 'dense');
      expect(tap.matrixShape).toEqual([shape[0], shape.slice(1).reduce((p, d) => p * d, 1)]);
      expect(tap.bias !== undefined).toBe(expected[l].bias);
      expect(imported.graph.values.has(tap.input) && imported.graph.values.has(tap.preActivation)).toBe(true);
      expectClose(matrixOf(tap, imported.params.get(tap.weight)!), expected[l].weight, { atol: 0, rtol: 1e-7 }, `W of ${tap.name}`);
    });
    // The bias-free Linear is exported as MatMul with the transposed weight: read as in-out.
    if (name === 'cnn') expect(taps.map((t) => t.weightLayout)).toEqual(['out-in', 'in-out', 'out-in']);
    expect(taps.at(-1)!.preActivation).toBe('logits');
  });
});
