import { renameSync, writeFileSync } from 'node:fs';

/** Writes through a temporary file and a rename, so a reader (a browser reloading the report) never sees half a file. */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}
