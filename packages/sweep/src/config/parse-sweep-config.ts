import { extname } from 'node:path';
import type { z } from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import { issuesFromZod } from './issues-from-zod.js';
import { strippedKeyIssues, withStrippedKeys } from './known-keys-at.js';
import { createSourceLocator, locatorFor, type SourceLocator } from './source-locator.js';
import { SweepConfigError, type ConfigIssue } from './sweep-config-error.js';
import { sweepConfigSchemaFor, type SweepConfig } from './sweep-config-schema.js';

/** Options of {@link parseSweepConfig}. */
export interface ParseSweepConfigOptions {
  /** Name used in error messages (a path as the user wrote it). Default `<inline>`. */
  file?: string;
  /** Text format; default from the file extension (`.json` → json, anything else → yaml). */
  format?: 'yaml' | 'json';
  /**
   * Extra top-level sections the caller understands (e.g. `report`), validated with the file and kept in
   * `config`; they are not part of trial configs or keys. Without them such keys are unknown-field errors.
   */
  extraSections?: Record<string, z.ZodType>;
  /** The backend names `backend` (and a `backend` grid axis) may take; default: any non-empty name. */
  backendNames?: readonly [string, ...string[]];
}

/** A validated sweep file with what is needed to point back into its text. */
export interface ParsedSweepConfig {
  config: SweepConfig;
  file: string;
  /** Positions of paths in the text, for later errors (grid expansion, injected schemas). */
  locate: SourceLocator;
}

/**
 * Parses and validates a sweep file's text (YAML 1.2 or JSON) against the sweep file schema (with the
 * injected backend names).
 * @throws SweepConfigError listing every syntax or schema problem with file, line, field path, value and
 *   what was expected.
 */
export function parseSweepConfig(text: string, options: ParseSweepConfigOptions = {}): ParsedSweepConfig {
  const file = options.file ?? '<inline>';
  const format = options.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'yaml');
  const binary = describeBinary(text);
  if (binary) {
    throw new SweepConfigError(file, [{ path: [], value: undefined, expected: 'YAML or JSON text', message: `not a sweep file: ${binary}; expected YAML or JSON text` }]);
  }
  const { data, locate } = format === 'json' ? readJson(text, file) : readYaml(text, file);
  const base = sweepConfigSchemaFor({ backendNames: options.backendNames });
  const schema = (options.extraSections ? base.extend(options.extraSections) : base) as z.ZodType<SweepConfig>;
  const result = schema.safeParse(data);
  const stripped = strippedKeyIssues(schema, data);
  if (!result.success || stripped.length > 0) {
    const issues = issuesFromZod(withStrippedKeys(result.error?.issues ?? [], stripped), data, schema).map((issue) => withPosition(issue, locate));
    throw new SweepConfigError(file, issues);
  }
  return { config: result.data, file, locate };
}

/** Adds line and column to an issue when the locator knows the path. */
export function withPosition(issue: ConfigIssue, locate: SourceLocator): ConfigIssue {
  if (issue.line !== undefined) return issue;
  const position = locate(issue.path);
  return position ? { ...issue, line: position.line, column: position.column } : issue;
}

function readYaml(text: string, file: string): { data: unknown; locate: SourceLocator } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SweepConfigError(
      file,
      doc.errors.map((error) => ({
        path: [],
        value: undefined,
        expected: 'valid YAML',
        message: `not valid YAML: ${firstLine(error.message)}`,
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
      })),
    );
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), locate: locatorFor(doc, lineCounter) };
}

function readJson(text: string, file: string): { data: unknown; locate: SourceLocator } {
  try {
    return { data: JSON.parse(text), locate: createSourceLocator(text) };
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1]);
    const position = Number.isFinite(offset) ? lineColumn(text, offset) : undefined;
    throw new SweepConfigError(file, [
      { path: [], value: undefined, expected: 'valid JSON', message: `not valid JSON: ${message}`, line: position?.line, column: position?.column },
    ]);
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * A summary of text that is not text (control characters or undecodable bytes in its first 4 KiB), so that
 * the error shows what the file is instead of echoing its bytes; undefined for text.
 */
export function describeBinary(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const odd = (head.match(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f\ufffd]/g) ?? []).length;
  if (odd === 0) return undefined;
  const bytes = Buffer.from(text.slice(0, 8), 'utf8').subarray(0, 8);
  const printable = text.slice(0, 4).replace(/[^\x20-\x7e]/g, '.');
  return `its content is binary (${Buffer.byteLength(text, 'utf8')} bytes, ${odd} control or undecodable characters in the first ${head.length}; it starts with bytes ${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, "${printable}")`;
}
