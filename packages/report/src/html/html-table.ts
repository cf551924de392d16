import { escapeHtml } from './escape-html.js';

/** A table cell: text (escaped here) and an optional CSS class and hover title. */
export interface Cell {
  text: string;
  className?: string;
  title?: string;
}

/** An HTML table; every header and cell text is escaped. Numeric columns are right-aligned by the `num` class. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[], className = 'data'): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell) => {
        const cls = cell.className ? ` class="${escapeHtml(cell.className)}"` : '';
        const title = cell.title ? ` title="${escapeHtml(cell.title)}"` : '';
        return `<td${cls}${title}>${escapeHtml(cell.text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="${escapeHtml(className)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
