import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The identity of a trial: sha256 (hex, 64 characters) of the canonical JSON of its resolved config. Key order
 * and `undefined` fields do not change it; any value that changes the computation does.
 * @throws TypeError when the config holds values JSON cannot represent (see {@link canonicalJson}).
 */
export function trialKey(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}
