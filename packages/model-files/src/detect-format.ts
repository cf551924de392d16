/**
 * Tells a model file's format from its name and first bytes: `.onnx`; a TF.js `model.json` (Layers or Graph
 * model, by its `format` and `modelTopology`); `.safetensors` or a sharded `model.safetensors.index.json`; a
 * PyTorch checkpoint (`.pt`, `.pth`, `.bin`, `.ckpt`: the zip that `torch.save` writes).
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import type { WeightFormat } from './weight-matrix.js';

/** A file that exists but is of no format this package reads (a usage error for a command line). */
export class UnknownFormatError extends ModelFileError {}

/** Largest model.json read to tell its kind (TF.js manifests are small; weights live in shards). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * @throws ModelFileError naming the file when it does not exist or is a folder; UnknownFormatError (a
 * ModelFileError) when it has no format this package reads.
 */
export function detectWeightFormat(file: string): WeightFormat {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new ModelFileError(file, 'is a folder; name a model file (or pass the folder as a checkpoint series)');
    size = stat.size;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const ext = extname(file).toLowerCase();
  const head = readHead(file, 16);
  if (ext === '.onnx') return 'onnx';
  if (ext === '.safetensors') return 'safetensors';
  if (ext === '.json') return jsonFormat(file, size);
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'pytorch';
  if (['.pt', '.pth', '.bin', '.ckpt'].includes(ext)) {
    if (head.length >= 2 && head[0] === 0x80) {
      throw new ModelFileError(file, 'is a PyTorch checkpoint in the legacy (pre-1.6) pickle format; re-save it with torch.save (zip format) or as safetensors');
    }
    if (looksLikeSafetensors(head, size)) return 'safetensors';
    throw new ModelFileError(file, 'is not a PyTorch checkpoint in the zip format torch.save writes');
  }
  if (looksLikeSafetensors(head, size)) return 'safetensors';
  throw new UnknownFormatError(file, `cannot tell the format of ${basename(file)}: expected .onnx, a TF.js model.json, .safetensors (or model.safetensors.index.json) or a PyTorch .pt/.pth/.bin checkpoint`);
}

function readHead(file: string, bytes: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** safetensors: an 8-byte little-endian header length, then a JSON object. */
function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9) return false;
  const length = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
  return head[8] === 0x7b && length > 0 && length + 8 <= size;
}

function jsonFormat(file: string, size: number): WeightFormat {
  if (size > MAX_JSON_BYTES) throw new ModelFileError(file, `is a ${size}-byte JSON file; a model manifest is expected to be under ${MAX_JSON_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelFileError(file, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(file, 'is JSON but not an object: expected a TF.js model.json or a safetensors index');
  const o = json as Record<string, unknown>;
  if ('weight_map' in o) return 'safetensors';
  if (o.format === 'graph-model') return 'tfjs-graph';
  if ('modelTopology' in o || 'weightsManifest' in o) return 'tfjs-layers';
  throw new ModelFileError(file, 'is JSON but neither a TF.js model.json (no modelTopology or weightsManifest) nor a safetensors index (no weight_map)');
}
