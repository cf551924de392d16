import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { SIGMA } from './known-spectrum-model.js';

/**
 * Writes a TensorFlow.js Layers model (model.json + one weight shard) of a 196-8-10 MLP whose first layer's
 * W (8×196) has the singular values {@link SIGMA}; Keras stores the kernel as Wᵀ (196×8).
 */
export async function writeKnownSpectrumLayersModel(dir: string): Promise<string> {
  await tf.setBackend('cpu');
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [196], units: 8, activation: 'relu', name: 'hidden' }));
  model.add(tfl.layers.dense({ units: 10, name: 'logits' }));
  const kernel = new Float32Array(196 * 8);
  SIGMA.forEach((s, i) => (kernel[3 * i * 8 + i] = s));
  const [, bias, kernel2, bias2] = model.getWeights();
  model.setWeights([tf.tensor2d(kernel, [196, 8]), bias, kernel2, bias2]);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'model.json');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      const json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      await writeFile(file, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return file;
}
