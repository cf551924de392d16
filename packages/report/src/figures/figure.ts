import type { TopLevelSpec } from 'vega-lite';

/** One figure of the report: a Vega-Lite spec with its data inlined, plus the words around it. */
export interface Figure {
  /** File-name-safe id (kebab-case), also the element id in the HTML. */
  id: string;
  title: string;
  /** One or two sentences: what is drawn and what to look for. */
  description: string;
  spec: TopLevelSpec;
}

/** Shared look of every figure (fonts present on Debian and in most browsers). */
export const FIGURE_CONFIG = {
  font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 240 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Number format of tooltips: 4 significant digits, trailing zeros trimmed. */
export const VALUE_FORMAT = '.4~g';
