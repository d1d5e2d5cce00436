import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReproRecord } from './repro';

const require = createRequire(import.meta.url);

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One self-contained HTML page: verdicts, tables, and one uPlot chart per plot spec of each report
 * (uPlot's script and stylesheet are inlined, so the file opens offline).
 */
export function reportHtml(
  records: readonly ReproRecord[],
  meta: { generatedAt: string; seed: number; size: string },
): string {
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const data = JSON.stringify(records).replace(/</g, '\\u003c');
  const summary = records
    .map(
      (r) =>
        `<tr><td><a href="#${escapeHtml(r.id)}">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.paper)}</td><td>${escapeHtml(r.verdict.measured)}</td><td>${escapeHtml(r.verdict.threshold)}</td><td class="v v-${escapeHtml(r.verdict.status)}">${escapeHtml(r.verdict.status)}</td><td>${(r.elapsedMs / 1000).toFixed(1)} s</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>argmin reproductions</title>
<style>${uplotCss}</style>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #1f2328; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; }
td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.v { font-weight: 600; }
.v-reproduced { background: #dafbe1; } .v-not-reproduced { background: #ffebe9; } .v-inconclusive, .v-error { background: #eaeef2; }
section { border-top: 1px solid #d0d7de; margin-top: 2em; }
.claim { color: #57606a; }
.chart { margin: 1em 0; }
</style>
</head>
<body>
<h1>argmin reproductions</h1>
<p>Generated ${escapeHtml(meta.generatedAt)} · seed ${meta.seed} · size ${escapeHtml(meta.size)} · ${records.length} experiments. Every verdict is computed from the measurements of this run.</p>
<table><thead><tr><th>experiment</th><th>paper</th><th>measured</th><th>threshold</th><th>verdict</th><th>time</th></tr></thead><tbody>
${summary}
</tbody></table>
<div id="experiments"></div>
<script>${uplotJs}</script>
<script>
const records = ${data};
const logTicks = (u, values) => values.map((v) => (v == null ? '' : Math.abs(Math.log10(v)) < 4 ? String(+v.toPrecision(3)) : v.toExponential(0)));
const palette = ['#0969da', '#cf222e', '#1a7f37', '#bf8700', '#8250df', '#bf3989', '#1b7c83', '#57606a'];
const root = document.getElementById('experiments');
const el = (tag, attrs = {}, text) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
const fmt = (v) => typeof v === 'number' ? (Number.isInteger(v) ? String(v) : (Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(3) : v.toPrecision(4))) : (v == null ? '' : String(v));
for (const r of records) {
  const section = el('section', { id: r.id });
  section.appendChild(el('h2', {}, r.id + ': ' + r.title));
  section.appendChild(el('p', { class: 'claim' }, 'Paper: ' + r.paper + '. Claim: ' + r.claim));
  section.appendChild(el('p', { class: 'v v-' + r.verdict.status }, r.verdict.status + ': ' + r.verdict.summary));
  if (r.error) section.appendChild(el('pre', {}, r.error));
  if (r.rows.length) {
    const columns = r.columns && r.columns.length ? r.columns : [...new Set(r.rows.flatMap((row) => Object.keys(row)))];
    const table = el('table');
    const head = el('tr');
    for (const c of columns) head.appendChild(el('th', {}, c));
    table.appendChild(head);
    for (const row of r.rows) { const tr = el('tr'); for (const c of columns) tr.appendChild(el('td', {}, fmt(row[c]))); table.appendChild(tr); }
    section.appendChild(table);
  }
  for (const note of r.notes || []) section.appendChild(el('p', { class: 'claim' }, note));
  root.appendChild(section);
  const groups = new Map();
  for (const s of r.series) { const k = s.plot || 'main'; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(s); }
  for (const [key, series] of groups) {
    const spec = (r.plots && r.plots[key]) || { title: key, xLabel: 'x', yLabel: 'y' };
    const ok = (v, log) => Number.isFinite(v) && (!log || v > 0);
    const xs = [...new Set(series.flatMap((s) => s.x.filter((v) => ok(v, spec.logX))))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const columns = series.map((s) => { const c = new Array(xs.length).fill(null); s.x.forEach((x, i) => { const j = index.get(x); if (j !== undefined && ok(s.y[i], spec.logY)) c[j] = s.y[i]; }); return c; });
    const points = columns.reduce((n, c) => n + c.filter((v) => v !== null).length, 0);
    const holder = el('div', { class: 'chart', 'data-plot': key, 'data-points': String(points) });
    section.appendChild(holder);
    const scatter = spec.kind === 'scatter';
    new uPlot({
      title: spec.title, width: 900, height: 340,
      scales: { x: { time: false, distr: spec.logX ? 3 : 1 }, y: { distr: spec.logY ? 3 : 1 } },
      axes: [{ label: spec.xLabel, values: spec.logX ? logTicks : undefined }, { label: spec.yLabel, values: spec.logY ? logTicks : undefined, size: 70 }],
      series: [{ label: spec.xLabel }, ...series.map((s, i) => ({ label: s.name, stroke: palette[i % palette.length], dash: i >= palette.length ? [6, 4] : undefined, width: scatter ? 0 : 2, spanGaps: true, points: { show: scatter || xs.length < 40, size: 5 } }))],
    }, [xs, ...columns], holder);
  }
}
</script>
</body>
</html>
`;
}
