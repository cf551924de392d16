import { join } from 'node:path';
import type { BuiltFigure } from '../build-report.js';
import type { Figure } from '../figures/figure.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';

/** Renders a figure and writes `<id>.svg` and `<id>.png` into `figureDir` (each replaced atomically); returns the SVG text too. */
export async function writeFigure(figure: Figure, figureDir: string, pngScale: number): Promise<{ built: BuiltFigure; svg: string }> {
  const svg = await renderSvg(figure.spec);
  const png = renderPng(svg, { scale: pngScale });
  const svgPath = join(figureDir, `${figure.id}.svg`);
  const pngPath = join(figureDir, `${figure.id}.png`);
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, png.png);
  return { built: { id: figure.id, title: figure.title, svg: svgPath, png: pngPath, width: png.width, height: png.height }, svg };
}
