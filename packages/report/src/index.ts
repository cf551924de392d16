/** @rank-collapse/report: Figures (Vega-Lite rendered to SVG/PNG) and a self-contained HTML report of a sweep. */
export {};
