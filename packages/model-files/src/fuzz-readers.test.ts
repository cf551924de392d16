/**
 * Seeded mutations of real fixture files of every format — truncation, bit flips, and 8-byte windows
 * overwritten with lying lengths, offsets and shapes — each opened and read to the end. Every mutant must
 * either read or fail with a ModelFileError naming the file; never another error, a hang, or a large
 * allocation (the array-buffer memory of the process is watched).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '@rank-collapse/backend';
import { openWeightFile } from './open-weight-file.js';

/** Mutants per format (spread over the model file and its data files). */
const MUTANTS = 400;
/** Per mutant: no read may take longer or allocate more than this. */
const MAX_MS = 2000;
const MAX_ARRAY_BUFFER_GROWTH = 256 * 1024 * 1024;

/** A small deterministic generator (mulberry32), so a failing mutant can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIES = [0xffffffff, 0x7fffffff, 0x80000000, 1e9, 1 << 20, 0, 1, 0xfffffffe];

function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  const next = random(seed);
  const out = Uint8Array.from(bytes);
  const kind = seed % 3;
  if (kind === 0) return out.subarray(0, Math.floor(next() * out.length));
  if (kind === 1) {
    for (let k = 1 + Math.floor(next() * 8); k > 0; k--) out[Math.floor(next() * out.length)] ^= 1 << Math.floor(next() * 8);
    return out;
  }
  const at = Math.floor(next() * Math.max(1, out.length - 8));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const lie = LIES[Math.floor(next() * LIES.length)];
  if (at + 8 <= out.length) {
    view.setUint32(at, lie, true);
    view.setUint32(at + 4, next() < 0.5 ? 0 : lie, true);
  }
  return out;
}

/** A format's fixture: the folder to copy, the file to open, and the files to mutate (the model and its data). */
interface Target {
  label: string;
  folder: string;
  open: string;
  mutate: string[];
}

const here = import.meta.dirname;
const targets: Target[] = [
  { label: 'onnx transformer', folder: join(here, 'onnx/__fixtures__'), open: 'transformer.onnx', mutate: ['transformer.onnx'] },
  { label: 'onnx recurrent', folder: join(here, 'onnx/__fixtures__'), open: 'recurrent.onnx', mutate: ['recurrent.onnx'] },
  { label: 'tfjs layers', folder: join(here, 'tfjs/__fixtures__/layers-functional-branches'), open: 'model.json', mutate: readdirSync(join(here, 'tfjs/__fixtures__/layers-functional-branches')) },
  { label: 'tfjs graph', folder: join(here, 'tfjs/__fixtures__/graph-model'), open: 'model.json', mutate: readdirSync(join(here, 'tfjs/__fixtures__/graph-model')) },
  { label: 'safetensors', folder: join(here, 'safetensors/__fixtures__'), open: 'mlp-conv.safetensors', mutate: ['mlp-conv.safetensors'] },
  { label: 'safetensors index', folder: join(here, 'safetensors/__fixtures__/sharded'), open: 'model.safetensors.index.json', mutate: readdirSync(join(here, 'safetensors/__fixtures__/sharded')) },
  { label: 'pytorch', folder: join(here, 'pytorch/__fixtures__'), open: 'checkpoint.pt', mutate: ['checkpoint.pt'] },
];

describe('seeded mutations of every format', () => {
  it.each(targets)('$label: every mutant reads or fails with a ModelFileError, fast and without a large allocation', async (target) => {
    const work = mkdtempSync(join(tmpdir(), 'fuzz-readers-'));
    cpSync(target.folder, work, { recursive: true });
    const originals = new Map(target.mutate.map((name) => [name, readFileSync(join(target.folder, name))]));
    const outcomes = { read: 0, refused: 0 };
    let last: string | null = null;
    for (let seed = 1; seed <= MUTANTS; seed++) {
      // Half the mutants hit the file that is opened (headers, manifests), the rest its data files.
      const name = seed % 2 === 0 || target.mutate.length === 1 ? target.open : target.mutate[seed % target.mutate.length];
      if (last !== null && last !== name) writeFileSync(join(work, last), originals.get(last)!);
      writeFileSync(join(work, name), mutate(originals.get(name)!, seed));
      last = name;
      const before = process.memoryUsage().arrayBuffers;
      const start = performance.now();
      try {
        const file = await openWeightFile(join(work, target.open));
        for await (const item of file.items()) if (item.kind === 'matrix') expect(item.data.length, `seed ${seed}`).toBe(item.rows * item.cols);
        outcomes.read++;
      } catch (error) {
        if (!(error instanceof ModelFileError)) throw new Error(`${target.label}, mutant ${seed} of ${name}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
        expect(error.message, `seed ${seed}`).toContain(work);
        outcomes.refused++;
      }
      expect(performance.now() - start, `${target.label} mutant ${seed} took too long`).toBeLessThan(MAX_MS);
      expect(process.memoryUsage().arrayBuffers - before, `${target.label} mutant ${seed} allocated too much`).toBeLessThan(MAX_ARRAY_BUFFER_GROWTH);
    }
    // Both outcomes occur: the mutations reach the checks, and not every change is fatal.
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.read + outcomes.refused).toBe(MUTANTS);
  }, 180_000);
});
