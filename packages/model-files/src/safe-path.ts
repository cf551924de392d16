/**
 * One path-safety rule for every file a model file names (ONNX external data, TF.js weight shards,
 * safetensors shards, checkpoints in a folder): the name is resolved against the model's folder, links are
 * followed, and the result must lie inside that folder. Anything else is refused by the name as written,
 * without saying whether such a file exists or how large it is.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';

/**
 * Resolves `name` (as written in `modelFile`) inside `folder`.
 * @param modelFile the file that names it, for the message
 * @param folder the folder it must stay in (normally the model file's folder)
 * @param name the relative path as written in the model file
 * @param what what the file is, for the message (`weight shard`, `external data`)
 * @returns the real path (links resolved)
 * @throws ModelFileError naming `modelFile`, `what` and `name`: absolute path, a path leaving the folder
 * (`..` or a link out), or a file that does not exist or cannot be resolved.
 */
export function resolveInside(modelFile: string, folder: string, name: string, what: string): string {
  if (name.length === 0 || name.includes('\0')) throw new ModelFileError(modelFile, `${what} has an empty or invalid path`);
  if (isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name)) throw new ModelFileError(modelFile, `${what} "${name}" is an absolute path; only files inside the model's folder are read`);
  let root: string;
  try {
    root = realpathSync(folder);
  } catch (error) {
    throw new ModelFileError(modelFile, `the model's folder cannot be resolved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const lexical = resolve(root, name);
  if (!isWithin(root, lexical)) throw new ModelFileError(modelFile, `${what} "${name}" is outside the model's folder; only files inside it are read`);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling link out must be refused like a link out to an existing file, or the message tells which exists.
    if (!isWithin(root, whereLinksLead(lexical))) throw new ModelFileError(modelFile, `${what} "${name}" leads outside the model's folder through a link; only files inside it are read`);
    throw new ModelFileError(modelFile, `${what} "${name}" ${code === 'ENOENT' ? 'does not exist' : `cannot be opened (${code ?? 'error'})`}`, { cause: error });
  }
  if (!isWithin(root, real)) throw new ModelFileError(modelFile, `${what} "${name}" leads outside the model's folder through a link; only files inside it are read`);
  return real;
}

/** Where `path` leads when part of it does not exist: the existing folders resolved, dangling links followed. */
function whereLinksLead(path: string, hops = 0): string {
  const parent = dirname(path);
  let folder: string;
  try {
    folder = realpathSync(parent);
  } catch {
    folder = parent === path ? path : whereLinksLead(parent, hops + 1);
  }
  const here = join(folder, basename(path));
  try {
    if (hops < 40 && lstatSync(here).isSymbolicLink()) return whereLinksLead(resolve(folder, readlinkSync(here)), hops + 1);
  } catch {
    // Nothing there: the path ends here.
  }
  return here;
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
