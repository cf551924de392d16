/**
 * The report of a checkpoint series: its figures as SVG and PNG files and one HTML page that shows them
 * (inline SVG, no script, nothing loaded from elsewhere) with the per-layer table of the last checkpoint.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkpointSeriesFigures, type CheckpointSeriesData } from './figures/checkpoint-series-figures.js';
import { escapeHtml } from './html/escape-html.js';
import { formatNumber } from './html/format-number.js';
import { REPORT_STYLE } from './html/report-style.js';
import { writeFigure } from './render/write-figure.js';
import type { BuiltFigure } from './build-report.js';
import { writeFileAtomic } from './write-file-atomic.js';

export interface BuildCheckpointReportOptions {
  readonly series: CheckpointSeriesData;
  /** Folder for `index.html` and `figures/` (created if needed; files replaced). */
  readonly outDir: string;
  readonly title: string;
  /** Pixels per SVG unit of the PNG files. Default 2. */
  readonly pngScale?: number;
}

/**
 * Draws the series' figures and writes `outDir/index.html`.
 * @throws Error when a spec fails to render or outDir is not writable.
 */
export async function buildCheckpointReport(options: BuildCheckpointReportOptions): Promise<{ html: string; figures: BuiltFigure[] }> {
  const outDir = resolve(options.outDir);
  const figureDir = join(outDir, 'figures');
  mkdirSync(figureDir, { recursive: true });
  const built: BuiltFigure[] = [];
  const sections: string[] = [];
  for (const figure of checkpointSeriesFigures(options.series)) {
    const { built: file, svg } = await writeFigure(figure, figureDir, options.pngScale ?? 2);
    built.push(file);
    sections.push(`<section id="${escapeHtml(figure.id)}"><h2>${escapeHtml(figure.title)}</h2><p>${escapeHtml(figure.description)}</p>${svg.replace(/^<\?xml[^>]*>/, '')}</section>`);
  }
  const last = options.series.checkpoints.at(-1);
  const table = last
    ? `<section><h2>Last checkpoint: ${escapeHtml(last.name)}</h2><table><thead><tr><th>layer</th><th>rank</th><th>stable rank</th><th>τ_K/‖W‖_F</th></tr></thead><tbody>${last.layers
        .map((l) => `<tr><td>${escapeHtml(l.layer)}</td><td>${formatNumber(l.numericalRank)}</td><td>${formatNumber(l.stableRank)}</td><td>${formatNumber(l.relativeTailK)}</td></tr>`)
        .join('')}</tbody></table></section>`
    : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${escapeHtml(options.title)}</title><style>${REPORT_STYLE}</style></head><body><h1>${escapeHtml(options.title)}</h1><p>${options.series.checkpoints.length} checkpoints, weights only${options.series.K !== null ? `, K = ${options.series.K}` : ''}.</p>${sections.join('')}${table}</body></html>\n`;
  const htmlPath = join(outDir, 'index.html');
  writeFileAtomic(htmlPath, html);
  return { html: htmlPath, figures: built };
}
