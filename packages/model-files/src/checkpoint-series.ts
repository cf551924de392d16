/**
 * A checkpoint series: the model files of one training run, in training order, from a folder
 * (`runs/ckpt/`) or a pattern in the last path segment (`runs/ckpt/epoch-*.pt`). Files are ordered by the
 * last number in their name (`epoch-2.pt` before `epoch-10.pt`), then by name.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { resolveInside } from './safe-path.js';

/** File endings a folder listing takes as checkpoints. */
export const CHECKPOINT_EXTENSIONS = ['.pt', '.pth', '.bin', '.ckpt', '.safetensors', '.onnx'] as const;

/** One file of a series. */
export interface CheckpointFile {
  /** Path to read (inside the series' folder, links resolved). */
  readonly file: string;
  /** The file name as listed. */
  readonly name: string;
  /** The last number in the name (the step or epoch), null when the name has none. */
  readonly step: number | null;
}

/** Whether `path` names a series (a folder or a pattern) rather than one model file. */
export function isCheckpointSeries(path: string): boolean {
  if (/[*?]/.test(basename(path))) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Lists a series.
 * @param path a folder (every file with a {@link CHECKPOINT_EXTENSIONS} ending directly in it) or a pattern
 * whose last segment has `*` (any run of characters) or `?` (one character)
 * @throws ModelFileError when the folder cannot be read, lists no checkpoint, or a listed file leads outside it.
 */
export function listCheckpoints(path: string): CheckpointFile[] {
  const pattern = /[*?]/.test(basename(path)) ? basename(path) : null;
  const folder = pattern ? dirname(path) : path;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    throw new ModelFileError(folder, `cannot list the checkpoint folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const matches = pattern ? globMatcher(pattern) : (name: string) => (CHECKPOINT_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
  const files = names
    .filter(matches)
    .map((name) => ({ name, file: resolveInside(join(folder, name), folder, name, 'checkpoint') }))
    .filter((f) => statSync(f.file).isFile())
    .map((f) => ({ ...f, step: lastNumber(f.name) }));
  if (files.length === 0) {
    throw new ModelFileError(folder, pattern ? `no file matches "${pattern}"` : `holds no checkpoint (files ending in ${CHECKPOINT_EXTENSIONS.join(', ')})`);
  }
  return files.sort((a, b) => (a.step ?? -Infinity) - (b.step ?? -Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function lastNumber(name: string): number | null {
  const numbers = name.slice(0, name.length - extname(name).length).match(/\d+/g);
  return numbers ? Number(numbers[numbers.length - 1]) : null;
}

function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}
