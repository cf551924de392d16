/**
 * Reads one tensor of a safetensors file into the array the WeightMatrix holds, with at most the output plus
 * one chunk in memory: float32 and float64 read straight into the output; half, bfloat16 and transposed
 * embedding tables a few MiB of stored rows at a time.
 */
import type { FileHandle } from 'node:fs/promises';
import { decodeFloats, FLOAT_ITEM_SIZE, type FloatDtype } from '../pytorch/float-dtype.js';
import { readFully, type SafetensorsEntry } from './safetensors-header.js';

/** Bytes of stored rows decoded at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * @param transposed read the 2-D tensor [d0, d1] as its d1 × d0 transpose
 * @param chunkBytes bytes of stored rows per read (at least one row); default 4 MiB
 * @returns the values row-major (transposed when asked): Float64Array for F64, else Float32Array
 * @throws ModelFileError naming the file when it ends before the tensor does
 */
export async function readSafetensorsTensor(path: string, handle: FileHandle, entry: SafetensorsEntry, transposed: boolean, chunkBytes = CHUNK_BYTES): Promise<Float32Array | Float64Array> {
  const dtype = entry.dtype as FloatDtype;
  const size = FLOAT_ITEM_SIZE[dtype];
  const count = (entry.end - entry.start) / size;
  const out = dtype === 'F64' ? new Float64Array(count) : new Float32Array(count);
  if (!transposed && (dtype === 'F32' || dtype === 'F64')) {
    await readFully(path, handle, new Uint8Array(out.buffer), entry.start);
    return out;
  }
  // Stored rows: the last axis for a transposed table, any whole number of elements otherwise.
  const rowLength = transposed ? entry.shape[1] : 1;
  const rowsTotal = count / rowLength;
  const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / (rowLength * size)));
  for (let row = 0; row < rowsTotal; row += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, rowsTotal - row);
    const bytes = new Uint8Array(rows * rowLength * size);
    await readFully(path, handle, bytes, entry.start + row * rowLength * size);
    const values = decodeFloats(bytes, dtype, rows * rowLength, true);
    if (!transposed) {
      out.set(values, row);
      continue;
    }
    // Stored [d0, d1] row r, column j goes to out[j, r] of the d1 × d0 transpose.
    const d0 = entry.shape[0];
    for (let r = 0; r < rows; r++) {
      const source = r * rowLength;
      for (let j = 0, target = row + r; j < rowLength; j++, target += d0) out[target] = values[source + j];
    }
  }
  return out;
}
