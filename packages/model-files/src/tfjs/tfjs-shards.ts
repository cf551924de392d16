/**
 * Reads the weight shards of a TF.js model.json: each manifest group's shard files, concatenated, are cut
 * into the group's weights in order. Every shard path goes through `resolveInside`, and every weight's byte
 * range is checked against the real shard sizes before anything is allocated or read; then the weights are read
 * one at a time, so memory stays near the largest weight.
 */
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { resolveInside } from '../safe-path.js';
import { decodeTfjsWeight, type TfjsValues } from './decode-tfjs-weight.js';
import { TFJS_DTYPE_BYTES, valueCount, type TfjsWeightGroup, type TfjsWeightSpec } from './tfjs-manifest.js';

/** Where one weight lies: its group (0-based) and its byte range in the group's concatenated shards. */
export interface TfjsWeightEntry {
  readonly spec: TfjsWeightSpec;
  readonly group: number;
  readonly offset: number;
  readonly byteLength: number;
}

/** The weights of a model.json, located and size-checked, read on demand. */
export interface TfjsShards {
  /** Every manifest weight, in manifest order. */
  readonly entries: readonly TfjsWeightEntry[];
  /** Reads and decodes one weight. @throws ModelFileError naming the shard when it cannot be read. */
  read(entry: TfjsWeightEntry): Promise<TfjsValues>;
}

interface Shard {
  readonly path: string;
  readonly name: string;
  readonly start: number;
  readonly size: number;
}

/**
 * Locates every weight of `groups` in the shards next to `modelFile`.
 * @throws ModelFileError naming `modelFile`: a shard path outside the model's folder or missing (see
 *   `resolveInside`), a weight that needs bytes beyond its group's shards (naming the weight, its shape, the byte
 *   range and the real size), a group whose shards hold more bytes than its weights take, a malformed string.
 */
export async function openTfjsShards(modelFile: string, groups: readonly TfjsWeightGroup[]): Promise<TfjsShards> {
  const folder = dirname(modelFile);
  // Every path first: a path out is refused before any shard is opened.
  const resolved = groups.map((group) => group.paths.map((name) => ({ name, path: resolveInside(modelFile, folder, name, 'weight shard') })));
  const shardsOf: Shard[][] = [];
  const entries: TfjsWeightEntry[] = [];
  for (const [g, group] of groups.entries()) {
    let start = 0;
    const shards: Shard[] = [];
    for (const { name, path } of resolved[g]) {
      const info = await stat(path).catch((error: unknown) => {
        throw new ModelFileError(modelFile, `weight shard "${name}" cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
      });
      if (!info.isFile()) throw new ModelFileError(modelFile, `weight shard "${name}" is not a file`);
      shards.push({ path, name, start, size: info.size });
      start += info.size;
    }
    shardsOf.push(shards);
    const total = start;
    const where = `group ${g} (${group.paths.join(', ')})`;
    let offset = 0;
    for (const spec of group.weights) {
      const byteLength = spec.dtype === 'string' && !spec.quantization ? await stringBytes(modelFile, shards, spec, offset, total, where) : fixedBytes(spec);
      const end = offset + byteLength;
      if (end > total) throw new ModelFileError(modelFile, `weight "${spec.name}" [${spec.shape}] needs bytes ${offset}–${end} of ${where}, but the shards hold ${total} bytes`);
      entries.push({ spec, group: g, offset, byteLength });
      offset = end;
    }
    if (offset !== total) {
      const last = group.weights.at(-1)?.name ?? '(none)';
      throw new ModelFileError(modelFile, `${where} holds ${total} bytes but its weights, ending with "${last}", take ${offset}`);
    }
  }
  return {
    entries,
    read: async (entry) => decodeTfjsWeight(entry.spec, await readRange(modelFile, shardsOf[entry.group], entry.offset, entry.byteLength)),
  };
}

function fixedBytes(spec: TfjsWeightSpec): number {
  // The manifest parser admits only dtypes with a size here (strings are measured from their length prefixes).
  return valueCount(spec.shape) * TFJS_DTYPE_BYTES[spec.quantization?.dtype ?? spec.dtype];
}

/** A string weight's size: its values' uint32 length prefixes, each checked against what the shards hold. */
async function stringBytes(modelFile: string, shards: readonly Shard[], spec: TfjsWeightSpec, offset: number, total: number, where: string): Promise<number> {
  const count = valueCount(spec.shape);
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 4 > total) throw new ModelFileError(modelFile, `string weight "${spec.name}" [${spec.shape}]: value ${i} starts at byte ${at} of ${where}, but the shards hold ${total} bytes`);
    const prefix = await readRange(modelFile, shards, at, 4);
    at += 4 + new DataView(prefix.buffer).getUint32(0, true);
  }
  return at - offset;
}

/** Bytes [offset, offset + length) of a group, across shard boundaries; the range is known to fit. */
async function readRange(modelFile: string, shards: readonly Shard[], offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const end = offset + length;
  for (const shard of shards) {
    const from = Math.max(offset, shard.start);
    const to = Math.min(end, shard.start + shard.size);
    if (from >= to) continue;
    let handle;
    try {
      handle = await open(shard.path, 'r');
      for (let done = 0; done < to - from; ) {
        const { bytesRead } = await handle.read(out, from - offset + done, to - from - done, from - shard.start + done);
        // A shard that shrank after it was measured.
        if (bytesRead === 0) throw new Error(`it ended after ${from - shard.start + done} of ${shard.size} bytes`);
        done += bytesRead;
      }
    } catch (error) {
      throw new ModelFileError(modelFile, `weight shard "${shard.name}" cannot be read: ${(error as Error).message}`, { cause: error });
    } finally {
      await handle?.close();
    }
  }
  return out;
}
