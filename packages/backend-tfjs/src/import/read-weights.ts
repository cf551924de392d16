/**
 * Reads the weight shards of a Layers model with the one TF.js shard reader of @rank-collapse/model-files: each
 * manifest group's files concatenated and cut into the listed weights in order (float32, float16, int32, or
 * quantized uint8/uint16/float16), every shard path inside the model's folder (`resolveInside`: nothing outside is
 * read or reported on), every size checked against the real shards before a weight is read.
 */
import { ModelFileError, type HostTensor } from '@rank-collapse/backend';
import { openTfjsShards, parseTfjsManifest } from '@rank-collapse/model-files';
import type { WeightGroup } from './layers-model-json.js';

/**
 * Weight values by manifest name (a trailing ":0" dropped), as float32 host tensors.
 * @throws ModelFileError naming `modelFile`: a malformed manifest, a shard outside the model's folder or missing,
 *   a group too short (naming the weight that does not fit) or too long, a string weight.
 */
export async function readWeights(modelFile: string, groups: readonly WeightGroup[]): Promise<Map<string, HostTensor>> {
  const shards = await openTfjsShards(modelFile, parseTfjsManifest(modelFile, groups));
  const out = new Map<string, HostTensor>();
  for (const entry of shards.entries) {
    const values = await shards.read(entry);
    if (Array.isArray(values)) throw new ModelFileError(modelFile, `weight "${entry.spec.name}" is stored as string, which is not supported`);
    const data = values instanceof Float32Array ? values : Float32Array.from(values as Int32Array | Uint8Array);
    out.set(entry.spec.name.replace(/:0$/, ''), { dtype: 'float32', shape: [...entry.spec.shape], data });
  }
  return out;
}
