/**
 * Turns zod issues into {@link ConfigIssue}s that name the field, the value found and what was expected,
 * phrased for people editing a sweep file rather than for schema authors.
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatPath, type ConfigIssue } from './sweep-config-error.js';
import { isIntegerAt, knownKeysAt } from './known-keys-at.js';
import { valueAt } from './value-at.js';

type Path = Array<string | number>;
type ZodIssue = z.core.$ZodIssue;

/**
 * Converts the issues of a failed parse of `data` by `schema`. `prefix` is prepended to every path (used when a
 * section is validated on its own).
 */
export function issuesFromZod(
  issues: readonly ZodIssue[],
  data: unknown,
  schema: z.ZodType,
  prefix: Path = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) collect(issue, [], data, schema, out);
  // The message of an unknown field names its path: with the prefix, so `dataset.subsetPerClas`, not `subsetPerClas`.
  return out.map((issue) => {
    const path = [...prefix, ...issue.path];
    return { ...issue, path, ...(issue.message !== undefined && { message: `${formatPath(path)}${issue.message.slice(formatPath(issue.path).length)}` }) };
  });
}

function collect(issue: ZodIssue, base: Path, data: unknown, schema: z.ZodType, out: ConfigIssue[]): void {
  const path: Path = [...base, ...(issue.path as Path)];
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known);
        const keyPath = [...path, key];
        const hint = suggestion ? `did you mean "${suggestion}"?` : undefined;
        const knownText = known.length > 0 ? ` (known fields here: ${known.join(', ')})` : '';
        out.push({
          path: keyPath,
          value: valueAt(data, keyPath),
          expected: `no field "${key}" here`,
          hint,
          message: `${formatPath(keyPath)}: unknown field${hint ? `; ${hint}` : ''}${knownText}`,
        });
      }
      return;
    }
    case 'invalid_union': {
      // When the value got inside one alternative (e.g. a list with one bad element), its issues say more
      // than "none of the alternatives matched".
      const deepest = deepestBranch(issue.errors);
      if (deepest) {
        for (const inner of deepest) collect(inner, path, data, schema, out);
        return;
      }
      out.push({ path, value, expected: isCustomMessage(issue) ? issue.message : 'a value of another kind' });
      return;
    }
    case 'custom': {
      const unknownKey = issue.params?.unknownKey as string | undefined;
      const candidates = (issue.params?.candidates as string[] | undefined) ?? [];
      const suggestion = unknownKey === undefined ? undefined : didYouMean(unknownKey, candidates);
      out.push({ path, value, expected: issue.message, hint: suggestion ? `did you mean "${suggestion}"?` : undefined });
      return;
    }
    default:
      out.push({ path, value, expected: expectation(issue, value, isIntegerAt(schema, path)) });
  }
}

/** The alternative whose issues reach deepest into the value, if any reaches past the union itself. */
function deepestBranch(branches: ReadonlyArray<readonly ZodIssue[]>): readonly ZodIssue[] | undefined {
  let best: readonly ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const branch of branches) {
    if (branch.length === 0) continue;
    const depth = Math.min(...branch.map((inner) => inner.path.length + (inner.code === 'unrecognized_keys' ? 1 : 0)));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

function isCustomMessage(issue: ZodIssue): boolean {
  return !issue.message.startsWith('Invalid input');
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object (key: value mapping)',
  array: 'a list',
  record: 'an object (key: value mapping)',
  null: 'null',
};

function expectation(issue: ZodIssue, value: unknown, integer: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int' || (issue.expected === 'number' && integer)) return 'an integer';
      if (issue.expected === 'number' && typeof value === 'number') return 'a finite number';
      return TYPE_NAMES[issue.expected] ?? issue.expected;
    case 'too_small':
      return bound(integer ? 'int' : issue.origin, issue.minimum, issue.inclusive ?? false, 'small');
    case 'too_big':
      return bound(integer ? 'int' : issue.origin, issue.maximum, issue.inclusive ?? false, 'big');
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `a string in ${issue.format} format` : issue.message;
    default:
      return issue.message;
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean, side: 'small' | 'big'): string {
  const n = Number(limit);
  if (origin === 'array' || origin === 'set') {
    return side === 'small' ? `a list of at least ${n} item${n === 1 ? '' : 's'}` : `a list of at most ${n} item${n === 1 ? '' : 's'}`;
  }
  if (origin === 'string') {
    if (side === 'small' && n === 1) return 'a non-empty string';
    return side === 'small' ? `a string of at least ${n} characters` : `a string of at most ${n} characters`;
  }
  const noun = origin === 'int' ? 'an integer' : 'a number';
  const op = side === 'small' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `${noun} ${op} ${n}`;
}
