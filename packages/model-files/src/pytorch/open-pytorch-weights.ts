/**
 * The PyTorch checkpoint reader: the zip torch.save writes, its data.pkl read by the restricted unpickler (no
 * code of the file is ever run), then the storages streamed one tensor at a time.
 */
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { checkpointTensors } from './checkpoint-tensors.js';
import { decodeFloats, FLOAT_ITEM_SIZE, type FloatDtype } from './float-dtype.js';
import { classifierOutputWidth } from './output-width.js';
import { PickleRefusal, unpickle } from './restricted-unpickler.js';
import { planStateDictTensor, type StateDictPlan } from './state-dict-tensor.js';
import { stridedGather } from './strided-gather.js';
import type { TensorRef } from './pickle-values.js';
import { openTorchArchive, type TorchArchive } from './torch-archive.js';

/** Largest data.pkl read (the pickle of a state dict holds names and shapes only: kilobytes to a few MB). */
const MAX_PICKLE_BYTES = 256 * 1024 * 1024;

type Planned =
  | { readonly kind: 'skipped'; readonly name: string; readonly shape: readonly number[]; readonly reason: string }
  | { readonly kind: 'tensor'; readonly name: string; readonly tensor: TensorRef; readonly plan: StateDictPlan };

/**
 * Opens a PyTorch checkpoint (`.pt`, `.pth`, `.bin`, `.ckpt` in the zip format of torch.save ≥ 1.6).
 *
 * Reads `<archive>/data.pkl` with an interpreter that knows only dicts (and OrderedDict), lists, tuples,
 * sets, strings, numbers, bytes, None, torch storages (`torch.FloatStorage`, …, by persistent id) and
 * `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter`; any other global (`os.system`,
 * `builtins.eval`, a class of the training script) is refused by name before any tensor is read. Nested
 * checkpoints are walked with dotted names (`model.fc1.weight`); optimizer state is one skipped item. Each
 * tensor is read as {@link planStateDictTensor} says, views (transposes, slices, offsets) included, from only
 * the bytes of its storage that it spans; big-endian archives (`byteorder` = `big`) are converted.
 * Float16 and bfloat16 become Float32Array, float64 stays Float64Array.
 *
 * @throws ModelFileError naming the file, and the tensor or pickle entry: not a torch.save zip, a TorchScript
 * archive, a refused global or opcode, a storage missing or of another size than its tensors claim, a view
 * reaching past its storage, an unknown byte order.
 */
export async function openPytorchWeights(file: string, options: ReadWeightsOptions): Promise<WeightFile> {
  const archive = await openTorchArchive(file);
  let planned: Planned[];
  let littleEndian: boolean;
  let producer: string | null;
  try {
    if (archive.hasFolder('code') || archive.entry('constants.pkl')) {
      throw new ModelFileError(file, 'is a TorchScript archive (torch.jit.save), whose pickles name the scripted classes; save model.state_dict() with torch.save, or as safetensors');
    }
    const root = await readPickle(file, archive);
    littleEndian = await readByteOrder(file, archive);
    producer = await readProducer(archive);
    planned = checkpointTensors(root).map((entry) => {
      if (entry.kind === 'skipped') return { ...entry, shape: [] };
      checkTensor(file, archive, entry.name, entry.tensor);
      const { dtype } = entry.tensor.storage;
      return { ...entry, plan: planStateDictTensor(entry.name, entry.tensor.shape, dtype, dtype in FLOAT_ITEM_SIZE) };
    });
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, (error as Error).message, { cause: error });
  } finally {
    archive.close();
  }
  const matrices = planned.flatMap((p) => (p.kind === 'tensor' && p.plan.kind === 'matrix' ? [{ name: p.name, role: p.plan.role, rows: p.plan.rows }] : []));
  return {
    file,
    format: 'pytorch',
    producer,
    outputWidth: classifierOutputWidth(matrices),
    items: () => readItems(file, planned, littleEndian, options),
  };
}

async function* readItems(file: string, planned: readonly Planned[], littleEndian: boolean, options: ReadWeightsOptions): AsyncGenerator<WeightItem> {
  let archive: TorchArchive | null = null;
  try {
    for (const p of planned) {
      options.signal?.throwIfAborted();
      if (p.kind === 'skipped') {
        yield { kind: 'skipped', name: p.name, shape: p.shape, reason: p.reason };
        continue;
      }
      const { tensor, plan, name } = p;
      if (plan.kind === 'skipped') {
        yield { kind: 'skipped', name, shape: tensor.shape, reason: plan.reason };
        continue;
      }
      archive ??= await openTorchArchive(file);
      const data = await readTensor(file, archive, name, tensor, plan.transposed, littleEndian);
      yield { kind: 'matrix', name, tensor: name, role: plan.role, op: null, shape: tensor.shape, rows: plan.rows, cols: plan.cols, data, note: plan.note };
    }
  } finally {
    archive?.close();
  }
}

/** The tensor's values, row-major (transposed for embedding tables), read from just the bytes it spans. */
async function readTensor(file: string, archive: TorchArchive, name: string, tensor: TensorRef, transposed: boolean, littleEndian: boolean): Promise<Float32Array | Float64Array> {
  const { storage, offset, shape, strides } = tensor;
  const entry = archive.entry(`data/${storage.key}`);
  if (!entry) throw new ModelFileError(file, `tensor "${name}": storage ${archive.prefix}/data/${storage.key} is missing (the archive changed while it was read?)`);
  const extent = offset + shape.reduce((sum, d, a) => sum + (d - 1) * strides[a], 0);
  const size = storage.itemSize;
  let bytes: Uint8Array;
  try {
    bytes = await archive.read(entry, offset * size, (extent + 1) * size);
  } catch (error) {
    throw new ModelFileError(file, `tensor "${name}": storage ${archive.prefix}/data/${storage.key} cannot be read (${(error as Error).message})`, { cause: error });
  }
  const values = decodeFloats(bytes, storage.dtype as FloatDtype, extent + 1 - offset, littleEndian);
  return transposed ? stridedGather(values, 0, [shape[1], shape[0]], [strides[1], strides[0]]) : stridedGather(values, 0, shape, strides);
}

/** Checks a tensor against the real size of its storage entry, so that nothing it claims is allocated unchecked. */
function checkTensor(file: string, archive: TorchArchive, name: string, tensor: TensorRef): void {
  const { storage, offset, shape, strides } = tensor;
  const where = `${archive.prefix}/data/${storage.key}`;
  const entry = archive.entry(`data/${storage.key}`);
  if (!entry) throw new ModelFileError(file, `tensor "${name}": its storage ${where} is not in the archive`);
  if (entry.uncompressedSize !== storage.numel * storage.itemSize) {
    throw new ModelFileError(file, `tensor "${name}": storage ${where} holds ${entry.uncompressedSize} bytes, but the pickle claims ${storage.numel} elements of ${storage.itemSize} bytes`);
  }
  let count = 1;
  for (const d of shape) count *= d;
  if (count === 0) return;
  if (count > storage.numel) {
    throw new ModelFileError(file, `tensor "${name}": shape [${shape.join(', ')}] has ${count} elements but its storage ${where} holds ${storage.numel} (overlapping strides are not read)`);
  }
  const extent = offset + shape.reduce((sum, d, a) => sum + (d - 1) * strides[a], 0);
  if (extent >= storage.numel) {
    throw new ModelFileError(file, `tensor "${name}": offset ${offset}, shape [${shape.join(', ')}] and strides [${strides.join(', ')}] reach element ${extent} of storage ${where}, which holds ${storage.numel}`);
  }
}

async function readPickle(file: string, archive: TorchArchive) {
  const where = `${archive.prefix}/data.pkl`;
  const entry = archive.entry('data.pkl');
  if (!entry) throw new ModelFileError(file, `has no ${where}`);
  if (entry.uncompressedSize > MAX_PICKLE_BYTES) throw new ModelFileError(file, `${where} claims ${entry.uncompressedSize} bytes; a state dict's pickle is expected under ${MAX_PICKLE_BYTES}`);
  const bytes = await archive.read(entry, 0, entry.uncompressedSize);
  try {
    return unpickle(bytes);
  } catch (error) {
    if (error instanceof PickleRefusal) throw new ModelFileError(file, `${where} ${error.message}`, { cause: error });
    throw error;
  }
}

/** `byteorder` is written by PyTorch ≥ 2.0; older archives are little-endian. */
async function readByteOrder(file: string, archive: TorchArchive): Promise<boolean> {
  const entry = archive.entry('byteorder');
  if (!entry) return true;
  if (entry.uncompressedSize > 16) throw new ModelFileError(file, `${archive.prefix}/byteorder holds ${entry.uncompressedSize} bytes; expected "little" or "big"`);
  const text = new TextDecoder().decode(await archive.read(entry, 0, entry.uncompressedSize)).trim();
  if (text === 'little' || text === 'big') return text === 'little';
  throw new ModelFileError(file, `${archive.prefix}/byteorder is "${text.slice(0, 16)}"; expected "little" or "big"`);
}

async function readProducer(archive: TorchArchive): Promise<string> {
  const entry = archive.entry('version') ?? archive.entry('.data/version');
  if (!entry || entry.uncompressedSize > 16) return 'pytorch';
  const version = new TextDecoder().decode(await archive.read(entry, 0, entry.uncompressedSize)).trim();
  return /^\d+$/.test(version) ? `pytorch (torch.save archive version ${version})` : 'pytorch';
}
