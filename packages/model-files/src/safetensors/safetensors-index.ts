/**
 * A sharded safetensors model: `model.safetensors.index.json` ({"metadata": …, "weight_map": {tensor: shard}})
 * naming the shard files beside it, each resolved by the one path-safety rule.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { resolveInside } from '../safe-path.js';

/** Largest index read (an index lists tensor names only). */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** One shard of the index: its resolved path and the tensors the index assigns to it, in index order. */
export interface SafetensorsShard {
  /** The shard's name as the index writes it. */
  readonly name: string;
  readonly path: string;
  readonly tensors: readonly string[];
}

/**
 * Reads the index: shards in the order the weight map first names them.
 * @throws ModelFileError naming the index (and the shard or tensor): not a JSON object with a weight_map of
 * strings, or a shard path that is absolute, leaves the index's folder or does not exist
 */
export function readSafetensorsIndex(indexFile: string): SafetensorsShard[] {
  const size = statSync(indexFile).size;
  if (size > MAX_INDEX_BYTES) throw new ModelFileError(indexFile, `is a ${size}-byte index; at most ${MAX_INDEX_BYTES} bytes are read`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch (error) {
    throw new ModelFileError(indexFile, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const map = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).weight_map : undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new ModelFileError(indexFile, 'has no weight_map object (tensor name → shard file)');
  const shards = new Map<string, string[]>();
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== 'string') throw new ModelFileError(indexFile, `weight_map names no shard file for tensor "${tensor}"`);
    let list = shards.get(shard);
    if (!list) shards.set(shard, (list = []));
    list.push(tensor);
  }
  const folder = dirname(indexFile);
  return [...shards].map(([name, tensors]) => ({ name, path: resolveInside(indexFile, folder, name, 'safetensors shard'), tensors }));
}
