import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec (data inlined) to an SVG document without a browser: compiled to Vega, run by a
 * headless View. Text widths are estimated (no canvas in Node), so labels may sit a few pixels off.
 * @throws Error when the spec does not compile or the dataflow fails.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
