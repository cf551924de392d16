import { readFile } from 'node:fs/promises';
import { expandGrid, type SweepSchemas, type TrialSpec } from './expand-grid.js';
import { parseSweepConfig, type ParseSweepConfigOptions } from './parse-sweep-config.js';
import { SweepConfigError } from './sweep-config-error.js';
import type { SweepConfig } from './sweep-config-schema.js';

/** A sweep file read, validated and expanded. */
export interface LoadedSweep {
  file: string;
  config: SweepConfig;
  trials: TrialSpec[];
}

/** Options of {@link loadSweepFile}. */
export interface LoadSweepFileOptions {
  /** Section schemas owned by other packages, applied to every resolved trial. */
  schemas?: SweepSchemas;
  /** Text format; default from the extension (`.json` → json, else yaml). */
  format?: 'yaml' | 'json';
  /** Extra top-level sections (see `parseSweepConfig`). */
  extraSections?: ParseSweepConfigOptions['extraSections'];
  /** The backend names a trial may ask for (see `parseSweepConfig`). */
  backendNames?: ParseSweepConfigOptions['backendNames'];
}

/**
 * Reads a sweep file (YAML or JSON), validates it and expands its grid.
 * @throws SweepConfigError when the file cannot be read, parsed or validated (every problem listed, with
 *   `file:line:column`, the field path, the value and what was expected).
 */
export async function loadSweepFile(file: string, options: LoadSweepFileOptions = {}): Promise<LoadedSweep> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SweepConfigError(file, [{ path: [], value: undefined, expected: 'a readable file', message: `cannot read the file: ${reason}` }]);
  }
  const parsed = parseSweepConfig(text, { file, format: options.format, extraSections: options.extraSections, backendNames: options.backendNames });
  return { file, config: parsed.config, trials: expandGrid(parsed, { schemas: options.schemas }) };
}
