import { latestLayerRows } from '../figures/layer-points.js';
import type { ReportData, ReportLayerRow, ReportTrial } from '../report-data.js';
import { escapeHtml } from './escape-html.js';
import { formatNumber } from './format-number.js';
import { htmlTable, type Cell } from './html-table.js';

const num = (value: unknown): Cell => ({ text: formatNumber(value), className: 'num' });

/** Slack cell: red when above 1 (the certificate failed), with the exact value on hover. */
function slackCell(slack: number | null | undefined): Cell {
  if (typeof slack !== 'number') return num(slack);
  return { text: formatNumber(slack), className: slack > 1 ? 'num violation' : 'num', title: String(slack) };
}

/** Largest slack of a layer over all checkpoints of a trial, or null. */
function maxSlack(trial: ReportTrial, layer: string): number | null {
  let max: number | null = null;
  for (const row of trial.layers) if (row.layer === layer && typeof row.slack === 'number') max = Math.max(max ?? -Infinity, row.slack);
  return max;
}

const HEADERS = [
  'layer', 'kind', 'm × n', 'K', 'numerical rank', 'normalized rank', 'stable rank', 'τ_K', 'τ_K/‖W‖_F', '‖W P⊥‖_F',
  '‖E‖+‖R‖', 'slack', 'max slack (all checkpoints)', 'tcvBound', 'input scale-free TCV', 'input NC1', 'δ scale-free TCV',
];

function layerCells(trial: ReportTrial, row: ReportLayerRow): Cell[] {
  return [
    { text: row.layer },
    { text: row.kind },
    { text: `${row.rows} × ${row.cols}`, className: 'num' },
    num(row.K),
    num(row.numericalRank),
    num(row.normalizedRank),
    num(row.stableRank),
    num(row.tailK),
    num(row.relativeTailK),
    num(row.offSpanW),
    num(row.boundER),
    slackCell(row.slack),
    slackCell(maxSlack(trial, row.layer)),
    num(row.tcvBound),
    num(row.inputScaleFreeTcv),
    num(row.inputNc1),
    num(row.deltaScaleFreeTcv),
  ];
}

/** One collapsible table per trial with its layers at the latest analysed checkpoint. */
export function layerTables(data: ReportData): string {
  return data.trials
    .map((trial) => {
      const rows = latestLayerRows(trial);
      const epoch = rows[0]?.epoch;
      const summary = `${escapeHtml(trial.label)} <span class="muted">(${escapeHtml(trial.status)}${epoch === undefined ? ', no analysis yet' : `, checkpoint epoch ${epoch}`})</span>`;
      const body = rows.length === 0 ? '<p class="muted">No layer rows yet.</p>' : htmlTable(HEADERS, rows.map((row) => layerCells(trial, row)));
      return `<details class="layers"><summary>${summary}</summary>\n${body}\n</details>`;
    })
    .join('\n');
}
