/**
 * Finds where a key/index path sits in a YAML (or JSON, a subset of YAML) text, so config errors can point at
 * `file:line:column`.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Returns the position of the deepest existing node along `path` (undefined if the text is not parseable). */
export type SourceLocator = (path: ReadonlyArray<string | number>) => SourcePosition | undefined;

/** Builds a locator over an already parsed document. */
export function locatorFor(doc: Document, lineCounter: LineCounter): SourceLocator {
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = rangeStart(node);
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && part < node.items.length) {
        node = node.items[part];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

/** Parses text only to locate paths in it (parse errors are left to the real parser). */
export function createSourceLocator(text: string): SourceLocator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return locatorFor(doc, lineCounter);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
