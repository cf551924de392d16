import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../cli-error.js';

/** The folder of preset sweep files shipped with the package (`presets/*.yaml`, beside `src/` and `dist/`). */
export const PRESET_DIR = fileURLToPath(new URL('../../presets/', import.meta.url));

/** A preset: a plain sweep file shipped with the command. */
export interface Preset {
  name: string;
  file: string;
  description: string;
}

/** Every preset, sorted by name, with the `description` of its file. */
export function listPresets(): Preset[] {
  if (!existsSync(PRESET_DIR)) return [];
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(PRESET_DIR, f);
      const parsed = parse(readFileSync(file, 'utf8')) as { description?: unknown } | null;
      return { name: f.slice(0, -'.yaml'.length), file, description: typeof parsed?.description === 'string' ? parsed.description.trim() : '' };
    });
}

/** The file of a preset. @throws UsageError naming the known presets when there is no such preset. */
export function presetFile(name: string): string {
  const presets = listPresets();
  const preset = presets.find((p) => p.name === name);
  if (!preset) throw new UsageError(`unknown preset "${name}" (known presets: ${presets.map((p) => p.name).join(', ') || 'none'})`);
  return preset.file;
}
