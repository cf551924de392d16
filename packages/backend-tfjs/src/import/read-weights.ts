/**
 * Reads the weight shards of a Layers model: each manifest group's files are concatenated and cut into the
 * listed weights in order (float32, int32, or affine-quantized uint8/uint16). Sizes are checked: a group too
 * short or too long is reported naming the weight that does not fit. Every shard path goes through the one
 * path-safety rule (`resolveInside`): nothing outside the model's folder is read or reported on.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelFileError, type HostTensor } from '@rank-collapse/backend';
import { resolveInside } from '@rank-collapse/model-files';
import type { WeightGroup, WeightSpec } from './layers-model-json.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2 };

/** Weight values by manifest name (a trailing ":0" dropped), as float32 host tensors. */
export async function readWeights(modelFile: string, groups: readonly WeightGroup[]): Promise<Map<string, HostTensor>> {
  const dir = path.dirname(modelFile);
  const out = new Map<string, HostTensor>();
  for (const [g, group] of groups.entries()) {
    const parts = await Promise.all(
      group.paths.map(async (p) => {
        const file = resolveInside(modelFile, dir, p, 'weight shard');
        try {
          return await readFile(file);
        } catch (error) {
          throw new ModelFileError(modelFile, `weight shard ${p} of group ${g} cannot be read: ${(error as Error).message}`, { cause: error });
        }
      }),
    );
    const bytes = Buffer.concat(parts);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, d) => a * d, 1);
      const stored = spec.quantization?.dtype ?? spec.dtype;
      const size = BYTES[stored];
      if (size === undefined) throw new ModelFileError(modelFile, `weight "${spec.name}" is stored as ${stored}, which is not supported`);
      const end = offset + count * size;
      if (end > bytes.length) {
        throw new ModelFileError(modelFile, `weight "${spec.name}" [${spec.shape}] needs bytes ${offset}–${end} of group ${g} (${group.paths.join(', ')}), but the shards hold ${bytes.length} bytes`);
      }
      out.set(spec.name.replace(/:0$/, ''), { dtype: 'float32', shape: [...spec.shape], data: decode(bytes.subarray(offset, end), spec, count) });
      offset = end;
    }
    if (offset !== bytes.length) {
      const last = group.weights.at(-1)?.name ?? '(none)';
      throw new ModelFileError(modelFile, `group ${g} (${group.paths.join(', ')}) holds ${bytes.length} bytes but its weights, ending with "${last}", take ${offset}`);
    }
  }
  return out;
}

function decode(bytes: Buffer, spec: WeightSpec, count: number): Float32Array {
  // Copy: the shard buffer's offset need not be aligned for a typed-array view.
  const aligned = new Uint8Array(bytes).buffer;
  const q = spec.quantization;
  if (q) {
    const raw = q.dtype === 'uint8' ? new Uint8Array(aligned, 0, count) : new Uint16Array(aligned, 0, count);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    return Float32Array.from(raw, (v) => v * scale + min);
  }
  return spec.dtype === 'int32' ? Float32Array.from(new Int32Array(aligned, 0, count)) : new Float32Array(aligned, 0, count);
}
