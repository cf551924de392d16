/** Reads a TF.js model.json (Layers or Graph model): the JSON object, its weights manifest, and who made it. */
import { readFile, stat } from 'node:fs/promises';
import { ModelFileError } from '@rank-collapse/backend';
import { parseTfjsManifest, type TfjsWeightGroup } from './tfjs-manifest.js';

/** Largest model.json read (the topology and manifest; weights live in shards). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ModelJson {
  readonly root: Json;
  readonly groups: TfjsWeightGroup[];
  /** `generatedBy` and `convertedBy` of the file (or the Keras version of the topology), null when it names none. */
  readonly producer: string | null;
}

/**
 * @throws ModelFileError naming `file`: unreadable, larger than 64 MiB, not a JSON object, a malformed manifest.
 */
export async function readModelJson(file: string): Promise<ModelJson> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_MODEL_JSON_BYTES) throw new ModelFileError(file, `is a ${size}-byte model.json; expected under ${MAX_MODEL_JSON_BYTES} bytes (weights belong in shards)`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(file, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(root)) throw new ModelFileError(file, 'is not a JSON object: expected a TF.js model.json');
  return { root, groups: parseTfjsManifest(file, root.weightsManifest), producer: producerOf(root) };
}

function producerOf(root: Json): string | null {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const topology = isObject(root.modelTopology) ? root.modelTopology : {};
  const keras = text(topology.keras_version);
  // A graph model's generatedBy is the TensorFlow version alone ("2.3.0").
  const generated = text(root.generatedBy) ?? (keras ? `keras ${keras}` : null);
  const made = generated && /^\d/.test(generated) ? `TensorFlow ${generated}` : generated;
  const converted = text(root.convertedBy);
  if (made && converted) return `${made} (converted by ${converted})`;
  return made ?? converted;
}
