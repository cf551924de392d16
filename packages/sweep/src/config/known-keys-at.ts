/**
 * The field names an object schema accepts at a path, found by walking the schema (best effort: wrappers such
 * as optional/default/pipe are unwrapped; unions contribute the keys of every object alternative).
 */
import type { z } from 'zod';

type Def = { type: string; format?: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[]; catchall?: z.ZodType };

/** Known keys of the object schema at `path` inside `schema`; empty when there is none. */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  const keys = new Set<string>();
  for (const node of resolve(schema, path)) for (const key of Object.keys(defOf(node).shape ?? {})) keys.add(key);
  return [...keys];
}

/** True when every schema reachable at `path` is an integer schema (z.int() and friends). */
export function isIntegerAt(schema: z.ZodType, path: ReadonlyArray<string | number>): boolean {
  const nodes = resolve(schema, path);
  return nodes.length > 0 && nodes.every((node) => defOf(node).type === 'number' && /int/.test(defOf(node).format ?? ''));
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Every schema reachable at `path` (several when unions branch). */
function resolve(schema: z.ZodType, path: ReadonlyArray<string | number>): z.ZodType[] {
  const nodes = unwrap(schema);
  if (path.length === 0) return nodes;
  const [head, ...rest] = path;
  const next: z.ZodType[] = [];
  for (const node of nodes) {
    const def = defOf(node);
    if (def.type === 'object' && typeof head === 'string') {
      const child = def.shape?.[head] ?? def.catchall;
      if (child) next.push(child);
    } else if (def.type === 'array' && def.element) next.push(def.element);
    else if (def.type === 'record' && def.valueType) next.push(def.valueType);
  }
  return next.flatMap((child) => resolve(child, rest));
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  return [schema];
}
