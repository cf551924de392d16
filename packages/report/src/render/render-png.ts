import { Resvg } from '@resvg/resvg-js';

/** Options of {@link renderPng}. */
export interface RenderPngOptions {
  /** Pixels per SVG unit. Default 2 (sharp on high-density screens and in documents). */
  scale?: number;
  /** Font used when the SVG's families are not installed. Default 'DejaVu Sans' (Debian's fonts-dejavu). */
  fontFamily?: string;
}

/** A rendered PNG and its size in pixels. */
export interface RenderedPng {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Rasterizes an SVG document with resvg and the system fonts.
 * @throws Error when the SVG cannot be parsed or scale is not positive.
 */
export function renderPng(svg: string, options: RenderPngOptions = {}): RenderedPng {
  const { scale = 2, fontFamily = 'DejaVu Sans' } = options;
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`renderPng: scale must be a positive number, got ${scale}`);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: fontFamily, sansSerifFamily: fontFamily },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
