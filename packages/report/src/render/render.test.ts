import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import { numericalRankFigure } from '../figures/numerical-rank-figure.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const svgSize = (svg: string) => {
  const match = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
};

describe('renderSvg and renderPng', () => {
  it('renders a fixed-size chart to an SVG of the expected size with its marks and text', async () => {
    const spec = {
      width: 200,
      height: 100,
      padding: 0,
      autosize: { type: 'none' },
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    } as TopLevelSpec;
    const svg = await renderSvg(spec);
    expect(svgSize(svg)).toEqual({ width: 200, height: 100 });
    expect(svg.match(/class="mark-symbol/g)?.length).toBe(1);
    expect((svg.match(/<path[^>]*transform="translate/g) ?? []).length).toBeGreaterThanOrEqual(2);
    const { png, width, height } = renderPng(svg, { scale: 3 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect({ width, height }).toEqual({ width: 600, height: 300 });
    expect(pngSize(png)).toEqual({ width: 600, height: 300 });
  });

  it('renders a report figure with its title, axis labels and the λ = 0 tick', async () => {
    const figure = numericalRankFigure(syntheticReportData());
    const svg = await renderSvg(figure!.spec);
    expect(svg).toContain('Numerical rank vs λ');
    expect(svg).toContain('weight decay λ');
    expect(svg).toContain('K = 10');
    expect(svg).toMatch(/>0<\/text>/);
    expect(svg).toMatch(/>1e-3<\/text>/);
    const { png, width, height } = renderPng(svg);
    const size = svgSize(svg);
    expect(width).toBe(Math.round(size.width * 2));
    expect(height).toBe(Math.round(size.height * 2));
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('rejects a non-positive scale', () => {
    expect(() => renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', { scale: 0 })).toThrow(/scale/);
  });
});
