import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { certificateViolations } from './certificate-violations.js';
import { reportFigures } from './figures/report-figures.js';
import { reportHtml } from './html/report-html.js';
import { writeFigure } from './render/write-figure.js';
import type { ReportData } from './report-data.js';
import { isPartial } from './trial-status.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link buildReport}: exactly one of `storePath` and `data`. */
export type BuildReportOptions = ({ storePath: string; data?: undefined } | { data: ReportData; storePath?: undefined }) & {
  /** Folder for `index.html` and `figures/` (created if needed; files replaced). */
  outDir: string;
  /** Page title. Default: `Neural rank collapse: <sweep names>`. */
  title?: string;
  /** Pixels per SVG unit of the PNG files. Default 2. */
  pngScale?: number;
};

/** One figure as written to disk. */
export interface BuiltFigure {
  id: string;
  title: string;
  /** Absolute paths of the static files. */
  svg: string;
  png: string;
  /** PNG size in pixels. */
  width: number;
  height: number;
}

export interface BuiltReport {
  /** Absolute path of the HTML report. */
  html: string;
  figures: BuiltFigure[];
  /** True while trials are still queued or running. */
  partial: boolean;
  /** Number of layer rows whose certificate slack exceeds 1 (should be 0). */
  certificateViolations: number;
}

/**
 * Builds the report: reads the store (read-only, so it can run while a sweep writes), draws every figure the
 * data supports as SVG and PNG under `outDir/figures/`, and writes the self-contained `outDir/index.html`.
 * Each file is replaced atomically; rerun it any time to refresh.
 * @throws Error when the store cannot be opened, a spec fails to render, or outDir is not writable.
 */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  // Loaded on demand: in-memory data needs no SQLite (a native module).
  const data = options.data ?? (await import('./store/load-report-data.js')).loadReportData(options.storePath as string);
  const outDir = resolve(options.outDir);
  const figureDir = join(outDir, 'figures');
  mkdirSync(figureDir, { recursive: true });
  const figures = reportFigures(data);
  const built: BuiltFigure[] = [];
  for (const figure of figures) built.push((await writeFigure(figure, figureDir, options.pngScale ?? 2)).built);
  const names = data.sweeps.map((s) => s.name).join(', ');
  const title = options.title ?? `Neural rank collapse${names ? `: ${names}` : ''}`;
  const htmlPath = join(outDir, 'index.html');
  writeFileAtomic(htmlPath, reportHtml(data, figures, { title }));
  return { html: htmlPath, figures: built, partial: isPartial(data), certificateViolations: certificateViolations(data).length };
}
