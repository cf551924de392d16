import { readFile } from 'node:fs/promises';
import { SweepConfigError, expandGrid, parseSweepConfig, type SweepConfig, type TrialSpec } from '@rank-collapse/sweep';
import type { BackendChoice } from '../backends/backend-factories.js';
import { SWEEP_BACKEND_NAMES, SWEEP_SCHEMAS } from './sweep-schemas.js';

/** A sweep file read, validated (with this command's section schemas) and expanded. */
export interface CliSweep {
  file: string;
  config: SweepConfig;
  trials: TrialSpec[];
}

/**
 * Reads, validates and expands a sweep file. `backend` replaces the file's top-level `backend` before the grid
 * is expanded (so it is part of every trial's key; a `backend` grid axis still wins).
 * @throws SweepConfigError listing every problem with file:line:column, the field path, the value and what
 * was expected.
 */
export async function loadCliSweep(file: string, options: { backend?: BackendChoice; displayName?: string } = {}): Promise<CliSweep> {
  const shown = options.displayName ?? file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SweepConfigError(shown, [{ path: [], value: undefined, expected: 'a readable file', message: `cannot read the file: ${reason}` }]);
  }
  const parsed = parseSweepConfig(text, { file: shown, format: file.toLowerCase().endsWith('.json') ? 'json' : 'yaml', backendNames: SWEEP_BACKEND_NAMES });
  if (options.backend) parsed.config.backend = options.backend;
  return { file, config: parsed.config, trials: expandGrid(parsed, { schemas: SWEEP_SCHEMAS }) };
}
