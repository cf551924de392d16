/** The value at a key/index path inside plain data, or `undefined` when any step is missing. */
export function valueAt(data: unknown, path: ReadonlyArray<string | number | symbol>): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number | symbol, unknown>)[part as string];
  }
  return current;
}
