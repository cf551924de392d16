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

/**
 * Keys of `data` that a plain `z.object` schema would drop without a word (zod strips unknown keys unless the
 * object is strict or loose): a misspelled optional field would silently do nothing. Returned as zod
 * `unrecognized_keys` issues, so they are reported like the keys of strict objects, with "did you mean".
 */
export function strippedKeyIssues(schema: z.ZodType, data: unknown, path: Array<string | number> = []): z.core.$ZodIssue[] {
  const nodes = unwrap(schema);
  const issues: z.core.$ZodIssue[] = [];
  if (Array.isArray(data)) {
    const elements = nodes.map(defOf).filter((def) => def.type === 'array' && def.element).map((def) => def.element!);
    data.forEach((item, i) => elements.forEach((element) => issues.push(...strippedKeyIssues(element, item, [...path, i]))));
    return issues;
  }
  if (data === null || typeof data !== 'object') return issues;
  const objects = nodes.map(defOf).filter((def) => def.type === 'object');
  const records = nodes.map(defOf).filter((def) => def.type === 'record' && def.valueType);
  const record = data as Record<string, unknown>;
  if (objects.length > 0 && records.length === 0 && objects.every((def) => def.catchall === undefined)) {
    const known = new Set(objects.flatMap((def) => Object.keys(def.shape ?? {})));
    const keys = Object.keys(record).filter((key) => !known.has(key));
    if (keys.length > 0) issues.push({ code: 'unrecognized_keys', keys, path, message: `Unrecognized keys: ${keys.join(', ')}`, input: data } as z.core.$ZodIssue);
  }
  for (const [key, value] of Object.entries(record)) {
    const children = [...objects.map((def) => def.shape?.[key] ?? def.catchall), ...records.map((def) => def.valueType)].filter((child): child is z.ZodType => child !== undefined);
    for (const child of children) issues.push(...strippedKeyIssues(child, value, [...path, key]));
  }
  return issues;
}

/** zod's issues plus the stripped-key issues it did not already report (a strict object reports its own). */
export function withStrippedKeys(issues: readonly z.core.$ZodIssue[], stripped: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const reported = new Set(issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => JSON.stringify([...issue.path, key])) : [])));
  return [...issues, ...stripped.filter((issue) => issue.code === 'unrecognized_keys' && issue.keys.some((key) => !reported.has(JSON.stringify([...issue.path, key]))))];
}
