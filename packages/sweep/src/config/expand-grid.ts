/**
 * Grid expansion: the cartesian product of the grid axes applied to the base sections, each combination
 * validated (base and injected schemas) and keyed by the hash of its resolved config.
 */
import type { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { axisValues, type AxisSpec } from './axis-values.js';
import { issuesFromZod } from './issues-from-zod.js';
import { strippedKeyIssues, withStrippedKeys } from './known-keys-at.js';
import { withPosition, type ParsedSweepConfig } from './parse-sweep-config.js';
import type { SourceLocator } from './source-locator.js';
import { SweepConfigError, formatPath, type ConfigIssue } from './sweep-config-error.js';
import {
  GRID_SHORTHANDS,
  analysisSectionSchema,
  datasetSectionSchema,
  trainingSectionSchema,
  type SweepConfig,
} from './sweep-config-schema.js';
import { trialKey } from './trial-key.js';

/**
 * Schemas for the sections other packages own (e.g. the models package's config schema), applied to every
 * resolved trial after the grid values are set. Their output (with defaults) replaces the section, so the
 * trial key covers every default.
 */
export interface SweepSchemas {
  model?: z.ZodType;
  dataset?: z.ZodType;
  training?: z.ZodType;
  analysis?: z.ZodType;
}

/** The complete config of one trial: everything that determines its results. */
export interface ResolvedTrialConfig {
  dataset: z.output<typeof datasetSectionSchema>;
  model: Record<string, unknown>;
  training: z.output<typeof trainingSectionSchema>;
  analysis: z.output<typeof analysisSectionSchema>;
  seed: number;
  /** Backend name the trial asks for (validated against the injected names when parsed). */
  backend: string;
}

/** One trial of a sweep. */
export interface TrialSpec {
  /** {@link trialKey} of `config`. */
  key: string;
  /** Position in the grid (0-based, in expansion order). */
  index: number;
  config: ResolvedTrialConfig;
  /** The grid values of this trial, by axis name as written in the file (`weightDecay`, `model.hidden`, …). */
  axes: Record<string, unknown>;
}

/** Options of {@link expandGrid}. */
export interface ExpandGridOptions {
  schemas?: SweepSchemas;
}

const SECTIONS = ['dataset', 'model', 'training', 'analysis'] as const;
type Section = (typeof SECTIONS)[number];
const BASE_SCHEMAS: Partial<Record<Section, z.ZodType>> = {
  dataset: datasetSectionSchema,
  training: trainingSectionSchema,
  analysis: analysisSectionSchema,
};

/**
 * Expands the grid of a validated sweep into trials, in a fixed order (axes in schema order, the first axis
 * outermost). Combinations that resolve to the same config are kept once.
 * @throws SweepConfigError when a resolved trial fails a base or injected section schema; each issue points
 *   at the grid value or base field that produced the bad value and names the combination.
 */
export function expandGrid(sweep: SweepConfig | ParsedSweepConfig, options: ExpandGridOptions = {}): TrialSpec[] {
  const parsed: ParsedSweepConfig = 'config' in sweep && 'locate' in sweep ? sweep : { config: sweep as SweepConfig, file: '<inline>', locate: () => undefined };
  const { config } = parsed;
  const axes = Object.entries(config.grid as Record<string, AxisSpec | undefined>)
    .filter((entry): entry is [string, AxisSpec] => entry[1] !== undefined)
    .map(([name, spec]) => ({ name, spec, values: axisValues(spec), path: resolvedPath(name) }));

  const validated = new Map<string, { output: unknown } | { issues: readonly z.core.$ZodIssue[]; schema: z.ZodType }>();
  const trials: TrialSpec[] = [];
  const seen = new Set<string>();
  const issues = new Map<string, ConfigIssue & { trials: number }>();

  for (const choice of product(axes.map((axis) => axis.values.length))) {
    const base: Record<string, unknown> = {
      dataset: structuredClone(config.dataset),
      model: structuredClone(config.model),
      training: structuredClone(config.training),
      analysis: structuredClone(config.analysis),
      seed: config.seed,
      backend: config.backend,
    };
    const trialAxes: Record<string, unknown> = {};
    axes.forEach((axis, i) => {
      const value = structuredClone(axis.values[choice[i]]);
      setAt(base, axis.path, value);
      trialAxes[axis.name] = value;
    });

    let ok = true;
    for (const section of SECTIONS) {
      for (const schema of [BASE_SCHEMAS[section], options.schemas?.[section]]) {
        if (!schema) continue;
        const input = base[section];
        const cacheKey = `${section}\u0000${schemaId(schema)}\u0000${canonicalJson(input)}`;
        let result = validated.get(cacheKey);
        if (!result) {
          const parsedSection = schema.safeParse(input);
          const stripped = strippedKeyIssues(schema, input);
          result = parsedSection.success && stripped.length === 0 ? { output: parsedSection.data } : { issues: withStrippedKeys(parsedSection.error?.issues ?? [], stripped), schema };
          validated.set(cacheKey, result);
        }
        if ('output' in result) {
          base[section] = structuredClone(result.output);
          continue;
        }
        ok = false;
        for (const issue of issuesFromZod(result.issues, input, result.schema, [section])) {
          const located = toFileIssue(issue, axes, choice, trialAxes, parsed.locate);
          const id = `${formatPath(located.path)}\u0000${located.expected}\u0000${canonicalJsonSafe(located.value)}`;
          const existing = issues.get(id);
          if (existing) existing.trials += 1;
          else issues.set(id, { ...located, trials: 1 });
        }
        break;
      }
    }
    if (!ok) continue;
    const resolved = base as unknown as ResolvedTrialConfig;
    const key = trialKey(resolved);
    if (seen.has(key)) continue;
    seen.add(key);
    trials.push({ key, index: trials.length, config: resolved, axes: trialAxes });
  }

  if (issues.size > 0) {
    throw new SweepConfigError(
      parsed.file,
      [...issues.values()].map(({ trials: count, ...issue }) => ({
        ...issue,
        note: count > 1 ? `${issue.note} and ${count - 1} more trial${count === 2 ? '' : 's'}` : issue.note,
      })),
    );
  }
  return trials;
}

/** The resolved-config path an axis sets: shorthands map to their field, dotted paths are taken as written. */
export function resolvedPath(axisName: string): string[] {
  return (GRID_SHORTHANDS as Record<string, string>)[axisName]?.split('.') ?? axisName.split('.');
}

/** Maps an issue on a resolved section back to the file: the grid value that set it, or the base field. */
function toFileIssue(
  issue: ConfigIssue,
  axes: ReadonlyArray<{ name: string; spec: AxisSpec; path: string[] }>,
  choice: readonly number[],
  trialAxes: Record<string, unknown>,
  locate: SourceLocator,
): ConfigIssue {
  const note = `in the trial with ${Object.entries(trialAxes)
    .map(([name, value]) => `${name}=${canonicalJsonSafe(value)}`)
    .join(', ') || 'no grid axes'}`;
  const path = issue.path.map(String);
  // The longest axis path that is a prefix of the issue path set that value.
  let owner: { index: number; depth: number } | undefined;
  axes.forEach((axis, index) => {
    const isPrefix = axis.path.every((part, i) => path[i] === part) && axis.path.length <= path.length;
    if (isPrefix && (!owner || axis.path.length > owner.depth)) owner = { index, depth: axis.path.length };
  });
  let filePath: Array<string | number>;
  if (owner) {
    const axis = axes[owner.index];
    const rest = issue.path.slice(owner.depth);
    filePath = Array.isArray(axis.spec) ? ['grid', axis.name, choice[owner.index], ...rest] : ['grid', axis.name];
  } else {
    filePath = [...issue.path];
  }
  return withPosition({ ...issue, path: filePath, note }, locate);
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Every index combination of lists with the given lengths, last axis fastest. */
function* product(lengths: readonly number[]): Generator<number[]> {
  const choice = lengths.map(() => 0);
  if (lengths.some((n) => n === 0)) return;
  while (true) {
    yield [...choice];
    let axis = lengths.length - 1;
    while (axis >= 0 && ++choice[axis] === lengths[axis]) choice[axis--] = 0;
    if (axis < 0) return;
  }
}

const schemaIds = new WeakMap<object, number>();
let nextSchemaId = 1;
function schemaId(schema: z.ZodType): number {
  let id = schemaIds.get(schema);
  if (id === undefined) schemaIds.set(schema, (id = nextSchemaId++));
  return id;
}

function canonicalJsonSafe(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch {
    return String(value);
  }
}
