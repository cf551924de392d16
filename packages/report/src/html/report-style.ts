/** The report's stylesheet (inlined; no external fonts or files). */
export const REPORT_STYLE = `
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; margin: 0 auto; max-width: 1240px; padding: 16px 24px 48px; color: #222; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; } h3 { font-size: 15px; margin: 20px 0 6px; }
.meta, .muted { color: #666; font-size: 13px; }
.banner { padding: 10px 14px; border-radius: 4px; margin: 12px 0; font-size: 14px; }
.banner.partial { background: #fff6d6; border: 1px solid #e6c34d; }
.banner.violation { background: #fde2e1; border: 1px solid #d93025; color: #8c1d18; }
.banner.ok { background: #e6f4ea; border: 1px solid #5bb974; }
figure.chart-figure { margin: 18px 0 30px; } figure.chart-figure p { margin: 2px 0 8px; font-size: 13px; color: #444; max-width: 980px; }
.chart { min-height: 60px; overflow-x: auto; }
.static-links { font-size: 12px; color: #666; }
table.data { border-collapse: collapse; font-size: 12px; margin: 6px 0 14px; }
table.data th, table.data td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
table.data th { background: #f5f5f5; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.violation { background: #d93025; color: white; font-weight: bold; }
td.status-failed, td.status-diverged { color: #b3261e; } td.status-running { color: #8a6d00; } td.status-queued { color: #777; }
details.layers { margin: 4px 0; } details.layers summary { cursor: pointer; font-size: 13px; }
`;
