import { formatNumber } from './format-number.js';

/** One column of a {@link renderTable} table. */
export interface Column<Row> {
  header: string;
  /** The cell's value; numbers are formatted with `formatNumber`. */
  value: (row: Row) => unknown;
  /** Default: right for numbers, left otherwise (decided per column from its first non-null cell). */
  align?: 'left' | 'right';
}

/**
 * Renders rows as a plain-text table for a terminal: a header, a rule and one line per row, columns padded
 * to their widest cell and separated by two spaces. No colors or box characters, so it pipes cleanly.
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const text = cells.map((line) => line.map((cell) => (typeof cell === 'string' ? cell : formatNumber(cell))));
  const widths = columns.map((column, c) => Math.max([...column.header].length, ...text.map((line) => [...line[c]].length)));
  const aligns = columns.map((column, c) => column.align ?? (typeof cells.find((line) => line[c] !== null && line[c] !== undefined)?.[c] === 'number' ? 'right' : 'left'));
  const pad = (s: string, c: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[c] - [...s].length));
    return aligns[c] === 'right' ? fill + s : s + fill;
  };
  const lines = [columns.map((column, c) => pad(column.header, c)).join('  '), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const line of text) lines.push(line.map((cell, c) => pad(cell, c)).join('  ').trimEnd());
  return lines.map((line) => line.trimEnd()).join('\n');
}
