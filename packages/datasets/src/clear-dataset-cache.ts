import { clearPixelSplitsCache } from './pixel-splits.js';
import { clearIdxCache } from './read-idx-file.js';

/** Forgets every parsed file and every normalized dataset cached by this process, so their memory can be freed. */
export function clearDatasetCache(): void {
  clearPixelSplitsCache();
  clearIdxCache();
}
