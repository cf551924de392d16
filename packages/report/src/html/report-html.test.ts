import { describe, expect, it } from 'vitest';
import { syntheticReportData } from '../__fixtures__/synthetic-report-data.js';
import { reportFigures } from '../figures/report-figures.js';
import { reportHtml } from './report-html.js';

const PAYLOAD = '</script><img src=x onerror="window.__xss=1">';

/** The document without the inlined vendor scripts, which are third-party code and not ours to check. */
function ownParts(html: string): string {
  return html.replace(/<script>(?:(?!<\/script>)[\s\S])*?<\/script>/g, (block) => (block.includes('vegaEmbed(element') ? block : '<script>…</script>'));
}

describe('reportHtml', () => {
  it('escapes user-provided strings in text, attributes and the inlined JSON', () => {
    const data = syntheticReportData({ labels: [PAYLOAD] });
    data.sweeps = [{ name: `sweep ${PAYLOAD}`, file: `/tmp/${PAYLOAD}.yaml` }];
    data.source = `/data/${PAYLOAD}.sqlite`;
    data.trials[0].config.model = PAYLOAD;
    data.trials[0].error = PAYLOAD;
    data.trials[0].layers[0].layer = PAYLOAD;
    const html = reportHtml(data, reportFigures(data), { title: `Report ${PAYLOAD}` });
    const own = ownParts(html);
    expect(own).not.toContain('<img');
    expect(own).not.toContain('onerror="');
    // Exactly our own script elements end: one JSON block and the embed script (vendor blocks were collapsed).
    const json = /<script type="application\/json" id="report-figures">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const figures = JSON.parse(json) as Array<{ id: string; spec: { data?: { values: Array<{ label?: string }> } } }>;
    const rank = figures.find((f) => f.id === 'numerical-rank');
    expect(rank?.spec.data?.values.some((p) => p.label === PAYLOAD)).toBe(true);
    expect(html).toContain('&#60;/script&#62;&#60;img src=x onerror=&#34;window.__xss=1&#34;&#62;');
  });

  it('shows a partial-results banner while trials are queued or running, and none when all are done', () => {
    const partial = syntheticReportData({ statuses: ['done', 'done', 'done', 'done', 'done', 'done', 'running', 'queued'] });
    const html = reportHtml(partial, reportFigures(partial), { title: 't' });
    expect(html).toContain('id="partial-banner"');
    expect(html).toMatch(/6 of 8 trials done, 1 running, 1 queued/);
    const done = syntheticReportData();
    expect(reportHtml(done, reportFigures(done), { title: 't' })).not.toContain('id="partial-banner"');
  });

  it('flags a certificate slack above 1 in red, in a banner and in the table, and says it holds otherwise', () => {
    const ok = syntheticReportData();
    const okHtml = reportHtml(ok, [], { title: 't' });
    expect(okHtml).toContain('Certificate holds');
    expect(okHtml).not.toContain('class="num violation"');
    const bad = syntheticReportData();
    bad.trials[3].layers[1].slack = 1.25;
    const html = reportHtml(bad, [], { title: 't' });
    expect(html).toContain('class="banner violation"');
    expect(html).toMatch(/Certificate violated in 1 row/);
    expect(html).toContain('layer dense1, epoch 5: slack 1.25');
    // Once as the latest slack, once as the maximum over checkpoints.
    expect(html.match(/<td class="num violation" title="1.25">1.25<\/td>/g)).toHaveLength(2);
  });

  it('finds a violation at an earlier checkpoint even when the latest one is fine', () => {
    const data = syntheticReportData({ lambdas: [1e-3], seeds: [0] });
    const trial = data.trials[0];
    trial.layers = [{ ...trial.layers[0], epoch: 1, slack: 1.5 }, ...trial.layers];
    const html = reportHtml(data, [], { title: 't' });
    expect(html).toMatch(/Certificate violated in 1 row/);
    expect(html).toContain('epoch 1: slack 1.5');
  });

  it('needs no network: no external src or href, and a CSP that forbids requests', () => {
    const data = syntheticReportData();
    const html = ownParts(reportHtml(data, reportFigures(data), { title: 't' }));
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).toContain(`content="default-src 'none'`);
    expect(html).toContain('<div class="chart" id="fig-numerical-rank"></div>');
  });

  it('says so when there is nothing to plot yet', () => {
    const data = syntheticReportData({ statuses: Array(8).fill('queued') });
    const html = reportHtml(data, reportFigures(data), { title: 't' });
    expect(html).toContain('id="no-figures"');
    expect(html).toContain('No layer rows yet.');
  });
});
