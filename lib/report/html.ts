/**
 * A self-contained HTML report (no scripts, no external files): a metric table per model, learning
 * curves as inline SVG (training loss and validation metric per epoch), and breakdowns (long tail,
 * cold users) when provided.
 */
import type { EpochReport } from '../train/trainer';
import type { GridResult } from '../train/grid_runner';
import { renderGridSection } from './grid';

export interface ReportModel {
  name: string;
  history: EpochReport[];
  bestEpoch: number;
  test: Record<string, number> | null;
  valid: Record<string, number> | null;
  trainSeconds: number;
  breakdown?: Record<string, Record<string, number>>;
}

export interface ReportInput {
  title: string;
  dataset: { name: string; nUsers: number; nItems: number; nTrain: number };
  models: ReportModel[];
  metrics: string[];
  validMetric: string;
  notes?: string[];
  recommendations?: Array<{ user: string | number; items: Array<string | number> }>;
  /** A hyper-parameter grid's result table (lib/train/grid_runner.ts). */
  grid?: GridResult;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function lineChart(title: string, series: Array<{ name: string; points: Array<[number, number]> }>): string {
  const W = 460, H = 240, L = 56, R = 12, T = 28, B = 36;
  const all = series.flatMap((s) => s.points);
  if (!all.length) return '';
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
  const sx = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y: number) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#888"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#888"/>`];
  for (const t of ticks) parts.push(`<text x="${L - 4}" y="${sy(t) + 4}" text-anchor="end" font-size="10">${t.toPrecision(3)}</text><line x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">epoch</text>`);
  parts.push(`<text x="${L}" y="${H - B + 14}" font-size="10" text-anchor="middle">${x0}</text><text x="${W - R}" y="${H - B + 14}" font-size="10" text-anchor="middle">${x1}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`);
    parts.push(`<text x="${L + 8}" y="${T + 12 + 14 * i}" font-size="11" fill="${c}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => `<td>${typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : esc(v)}</td>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderReport(r: ReportInput): string {
  const metricRows = r.models.map((m) => [m.name, ...r.metrics.map((k) => m.test?.[k] ?? NaN), m.bestEpoch, `${m.trainSeconds.toFixed(1)} s`]);
  const lossChart = lineChart('training loss', r.models.map((m) => ({ name: m.name, points: m.history.map((e) => [e.epoch, e.loss.total ?? NaN] as [number, number]) })));
  const validChart = lineChart(`validation ${r.validMetric}`, r.models.map((m) => ({
    name: m.name,
    points: m.history.filter((e) => e.valid).map((e) => [e.epoch, e.valid!.unrounded[r.validMetric]] as [number, number]),
  })));
  const breakdownKeys = [...new Set(r.models.flatMap((m) => Object.keys(m.breakdown ?? {})))];
  const breakdown = breakdownKeys.length
    ? `<h2>Breakdowns (test split)</h2>${breakdownKeys
        .map((g) => {
          const keys = [...new Set(r.models.flatMap((m) => Object.keys(m.breakdown?.[g] ?? {})))];
          return `<h3>${esc(g)}</h3>${table(['model', ...keys], r.models.map((m) => [m.name, ...keys.map((k) => m.breakdown?.[g]?.[k] ?? NaN)]))}`;
        })
        .join('')}`
    : '';
  const recs = r.recommendations?.length
    ? `<h2>Sample recommendations</h2>${table(['user', 'top items'], r.recommendations.map((x) => [String(x.user), x.items.join(', ')]))}`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(r.title)}</title><style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:1em}small{color:#666}</style></head><body>
<h1>${esc(r.title)}</h1>
<p>Dataset <b>${esc(r.dataset.name)}</b>: ${r.dataset.nUsers} users, ${r.dataset.nItems} items, ${r.dataset.nTrain} training interactions.
Test metrics at the epoch with the best validation ${esc(r.validMetric)} (MMRec protocol: full ranking, training items masked).</p>
<h2>Test metrics</h2>${table(['model', ...r.metrics, 'best epoch', 'train time'], metricRows)}
<div class="charts">${lossChart}${validChart}</div>
${r.grid ? renderGridSection(r.grid) : ''}${breakdown}${recs}
${(r.notes ?? []).map((n) => `<p><small>${esc(n)}</small></p>`).join('')}
</body></html>`;
}
