/**
 * The self-contained HTML report: figures embedded with vega-embed from inlined scripts and inlined JSON,
 * tables, and banners for partial results and certificate failures. A Content-Security-Policy forbids every
 * network request and `eval` (vega runs its expressions through the interpreter), so opening the file from
 * disk loads nothing else.
 */
import { certificateViolations } from '../certificate-violations.js';
import type { Figure } from '../figures/figure.js';
import type { ReportData } from '../report-data.js';
import { isPartial, statusCounts } from '../trial-status.js';
import { escapeHtml } from './escape-html.js';
import { formatNumber } from './format-number.js';
import { layerTables } from './layer-tables.js';
import { REPORT_STYLE } from './report-style.js';
import { scriptJson } from './script-json.js';
import { trialTable } from './trial-table.js';
import { vendorScripts } from './vendor-scripts.js';

/** Options of {@link reportHtml}. */
export interface ReportHtmlOptions {
  title: string;
  /** Link each figure to its static files `figures/<id>.svg|png` beside the HTML. Default true. */
  staticLinks?: boolean;
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const EMBED_SCRIPT = `
(function () {
  var figures = JSON.parse(document.getElementById('report-figures').textContent);
  // The Vega views by figure id, for scripting the page (and its tests).
  window.reportViews = {};
  var pending = figures.map(function (figure) {
    var element = document.getElementById('fig-' + figure.id);
    return vegaEmbed(element, figure.spec, { actions: false, renderer: 'svg', ast: true })
      .then(function (result) { window.reportViews[figure.id] = result.view; element.setAttribute('data-rendered', 'true'); })
      .catch(function (error) {
        element.setAttribute('data-rendered', 'error');
        element.textContent = 'This chart could not be drawn: ' + error.message;
        console.error(error);
      });
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts-done', String(figures.length)); });
})();`;

function banners(data: ReportData): string {
  const parts: string[] = [];
  const counts = statusCounts(data);
  if (isPartial(data)) {
    parts.push(
      `<div class="banner partial" id="partial-banner"><strong>Partial results.</strong> ${counts.done} of ${data.trials.length} trials done, ` +
        `${counts.running} running, ${counts.queued} queued. Running trials show their latest checkpoint; rebuild the report for newer results.</div>`,
    );
  }
  if (counts.failed + counts.diverged > 0) {
    parts.push(`<div class="banner partial">${counts.failed} trial(s) failed and ${counts.diverged} diverged; see the trial table.</div>`);
  }
  const violations = certificateViolations(data);
  if (violations.length > 0) {
    const list = violations
      .slice(0, 20)
      .map((v) => `<li>${escapeHtml(v.label)}, layer ${escapeHtml(v.layer)}, epoch ${v.epoch}: slack ${escapeHtml(formatNumber(v.slack))}</li>`)
      .join('');
    parts.push(
      `<div class="banner violation" id="certificate-banner"><strong>Certificate violated in ${violations.length} row(s):</strong> τ_K exceeded ‖E‖+‖R‖, ` +
        `which the decomposition forbids. This points to a bug in the analysis or its inputs.<ul>${list}</ul></div>`,
    );
  } else if (data.trials.some((trial) => trial.layers.some((row) => typeof row.slack === 'number'))) {
    parts.push('<div class="banner ok" id="certificate-banner">Certificate holds: τ_K ≤ ‖E‖+‖R‖ (slack ≤ 1) in every layer at every checkpoint.</div>');
  }
  return parts.join('\n');
}

function figureSection(figure: Figure, staticLinks: boolean): string {
  const id = escapeHtml(figure.id);
  const links = staticLinks ? `<div class="static-links">Static: <a href="figures/${id}.svg">SVG</a> · <a href="figures/${id}.png">PNG</a></div>` : '';
  return `<figure class="chart-figure"><h3>${escapeHtml(figure.title)}</h3><p>${escapeHtml(figure.description)}</p><div class="chart" id="fig-${id}"></div>${links}</figure>`;
}

/** Builds the whole HTML document as a string. Pure apart from reading the vendor scripts once. */
export function reportHtml(data: ReportData, figures: readonly Figure[], options: ReportHtmlOptions): string {
  const staticLinks = options.staticLinks ?? true;
  const sweeps = data.sweeps.map((s) => escapeHtml(s.name) + (s.file ? ` (${escapeHtml(s.file)})` : '')).join(', ');
  const meta = [
    sweeps && `Sweep: ${sweeps}`,
    data.source && `Store: ${escapeHtml(data.source)}`,
    `Data read ${escapeHtml(data.generatedAt)}`,
    `${data.trials.length} trial(s)`,
  ].filter(Boolean);
  const figureJson = scriptJson(figures.map((f) => ({ id: f.id, spec: f.spec })));
  const scripts = vendorScripts()
    .map((source) => `<script>${source}</script>`)
    .join('\n');
  const body =
    figures.length === 0
      ? '<p class="muted" id="no-figures">No results yet: no trial has recorded epochs or layer rows.</p>'
      : figures.map((f) => figureSection(f, staticLinks)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(options.title)}</h1><div class="meta">${meta.join(' · ')}</div></header>
${banners(data)}
<section id="figures"><h2>Figures</h2>
${body}
</section>
<section id="trials"><h2>Trials</h2>
${trialTable(data)}
</section>
<section id="layers"><h2>Layers at the latest checkpoint</h2>
${layerTables(data)}
</section>
${scripts}
<script type="application/json" id="report-figures">${figureJson}</script>
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}
