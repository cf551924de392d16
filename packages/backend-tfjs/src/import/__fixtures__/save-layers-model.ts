/**
 * Saves a tfjs-layers model as model.json + one weight shard in a directory, in the format of tfjs's file
 * handlers (modelTopology, weightsManifest with paths), without tfjs-node's file:// handler.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Tf } from '../../tf-namespace.js';

export async function saveLayersModel(tf: Tf, model: tfl.LayersModel, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'model.json');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData as ArrayBuffer;
      await writeFile(path.join(dir, 'group1-shard1of1.bin'), new Uint8Array(data));
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(file, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return file;
}
