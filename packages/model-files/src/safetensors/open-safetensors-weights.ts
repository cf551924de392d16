/**
 * The safetensors reader: single files and sharded models (`model.safetensors.index.json`), every header
 * validated against the real file size first, then one tensor at a time by positioned reads, so memory stays
 * near the largest tensor whatever the file size.
 */
import { open } from 'node:fs/promises';
import { ModelFileError } from '@rank-collapse/backend';
import { FLOAT_ITEM_SIZE } from '../pytorch/float-dtype.js';
import { classifierOutputWidth } from '../pytorch/output-width.js';
import { planStateDictTensor, type StateDictPlan } from '../pytorch/state-dict-tensor.js';
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { readSafetensorsHeader, type SafetensorsEntry } from './safetensors-header.js';
import { readSafetensorsTensor } from './read-safetensors-tensor.js';
import { readSafetensorsIndex } from './safetensors-index.js';

interface PlannedShard {
  readonly path: string;
  readonly size: number;
  readonly tensors: readonly { readonly entry: SafetensorsEntry; readonly plan: StateDictPlan }[];
}

/** Frameworks by the `format` the safetensors writers put in `__metadata__`. */
const FRAMEWORKS: Readonly<Record<string, string>> = { pt: 'pytorch', tf: 'tensorflow', flax: 'flax', np: 'numpy', mlx: 'mlx' };

/**
 * Opens a `.safetensors` file, or a sharded model by its `model.safetensors.index.json` (shards in the order
 * the weight map first names them, each resolved inside the index's folder; only the tensors the index assigns
 * to a shard are read from it). Tensors are read as {@link planStateDictTensor} says; F32, F16 and BF16
 * become Float32Array, F64 stays Float64Array; integer, boolean and float8 tensors are skipped items.
 * Items come in file order (by data offset) within each shard.
 *
 * @throws ModelFileError naming the file (index or shard) and the tensor: see readSafetensorsHeader for the
 * header checks; a tensor the index assigns to a shard that lacks it; a file that shrank while read
 */
export async function openSafetensorsWeights(file: string, options: ReadWeightsOptions): Promise<WeightFile> {
  const sharded = /\.json$/i.test(file);
  const sources = sharded ? readSafetensorsIndex(file) : [{ name: file, path: file, tensors: null }];
  const shards: PlannedShard[] = [];
  let metadata: Readonly<Record<string, string>> | null = null;
  for (const source of sources) {
    const handle = await openFile(file, source.path);
    try {
      const size = (await handle.stat()).size;
      const header = await readSafetensorsHeader(source.path, handle, size);
      metadata ??= header.metadata;
      let entries = header.entries;
      if (source.tensors) {
        const wanted = new Set(source.tensors);
        entries = entries.filter((e) => wanted.has(e.name));
        const present = new Set(entries.map((e) => e.name));
        const missing = source.tensors.find((t) => !present.has(t));
        if (missing !== undefined) throw new ModelFileError(file, `tensor "${missing}": the weight_map puts it in shard "${source.name}", which does not hold it`);
      }
      shards.push({
        path: source.path,
        size,
        tensors: entries.map((entry) => ({ entry, plan: planStateDictTensor(entry.name, entry.shape, entry.dtype, entry.dtype in FLOAT_ITEM_SIZE) })),
      });
    } finally {
      await handle.close();
    }
  }
  const matrices = shards.flatMap((s) => s.tensors.flatMap(({ entry, plan }) => (plan.kind === 'matrix' ? [{ name: entry.name, role: plan.role, rows: plan.rows }] : [])));
  const format = metadata?.format;
  return {
    file,
    format: 'safetensors',
    producer: format !== undefined && format in FRAMEWORKS ? FRAMEWORKS[format] : null,
    outputWidth: classifierOutputWidth(matrices),
    items: () => readItems(file, shards, options),
  };
}

async function* readItems(file: string, shards: readonly PlannedShard[], options: ReadWeightsOptions): AsyncGenerator<WeightItem> {
  for (const shard of shards) {
    const handle = await openFile(file, shard.path);
    try {
      if ((await handle.stat()).size < shard.size) throw new ModelFileError(shard.path, `shrank from ${shard.size} bytes since its header was read`);
      for (const { entry, plan } of shard.tensors) {
        options.signal?.throwIfAborted();
        if (plan.kind === 'skipped') {
          yield { kind: 'skipped', name: entry.name, shape: entry.shape, reason: plan.reason };
          continue;
        }
        const data = await readSafetensorsTensor(shard.path, handle, entry, plan.transposed);
        yield { kind: 'matrix', name: entry.name, tensor: entry.name, role: plan.role, op: null, shape: entry.shape, rows: plan.rows, cols: plan.cols, data, note: plan.note };
      }
    } finally {
      await handle.close();
    }
  }
}

async function openFile(file: string, path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, `${path === file ? 'cannot be opened' : `shard ${path} cannot be opened`} (${code ?? (error as Error).message})`, { cause: error });
  }
}
