import type { Backend } from './backend.js';
import { UnsupportedError } from './errors.js';

/** Returns the optional capability or throws UnsupportedError naming the backend and the capability. */
export function requireCapability<K extends 'importer' | 'exporter'>(backend: Backend, capability: K): NonNullable<Backend[K]> {
  const c = backend[capability];
  if (!c) throw new UnsupportedError(backend.name, capability === 'importer' ? 'importing model files' : 'exporting model files');
  return c as NonNullable<Backend[K]>;
}
