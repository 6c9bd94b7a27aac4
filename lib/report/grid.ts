/** The grid section of the HTML report: one row per combination, mean ± sd over seeds, the winner marked, the selection rule stated. */
import type { GridResult, GridRow, Stat } from '../train/grid_runner';
import { selectionLabel } from '../train/grid_runner';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function stat(s: Stat | undefined, withSd: boolean): string {
  if (!s || !s.n) return '–';
  return withSd && s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}` : s.mean.toFixed(4);
}

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function status(r: GridRow): string {
  if (r.status === 'done') return r.runs.some((x) => x.stoppedBy === 'nan-loss') ? 'done (a NaN loss stopped a run early)' : 'done';
  const bad = r.runs.find((x) => !x.valid);
  return bad?.nan ? `no result (NaN loss at epoch ${bad.nan.epoch}, step ${bad.nan.step})` : bad ? 'no result' : 'not run';
}

export function renderGridSection(g: GridResult): string {
  const sd = g.seeds.length > 1;
  const metrics = g.metrics.filter((m) => m !== g.selectionMetric);
  const head = ['#', ...g.axes, `valid ${g.selectionMetric}`, `test ${g.selectionMetric}`, ...metrics.map((m) => `test ${m}`), 'best epoch', 'status', 'winner'];
  const rows = g.rows.map((r) => {
    const cells = [String(r.index), ...g.axes.map((a) => value(r.values[a])), stat(r.valid[g.selectionMetric], sd), stat(r.test[g.selectionMetric], sd),
      ...metrics.map((m) => stat(r.test[m], sd)), r.runs.map((x) => x.bestEpoch).join(', '), status(r), r.winner ? (g.testSelected ? '★ test-selected' : '★') : ''];
    return `<tr${r.winner ? ' style="font-weight:bold;background:#f4f8ff"' : ''}>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  });
  const title = g.testSelected ? 'Hyper-parameter grid (TEST-SELECTED)' : 'Hyper-parameter grid';
  return `<h2>${esc(title)}</h2>
<p>${g.rows.length} combination${g.rows.length === 1 ? '' : 's'} × ${g.seeds.length} seed${g.seeds.length === 1 ? '' : 's'} (${esc(g.seeds.join(', '))})${sd ? ', mean ± sample standard deviation over seeds' : ''}; each run's numbers are from its best validation epoch. <b>${esc(selectionLabel(g))}</b>.${g.interrupted ? ' <b>The grid was interrupted; rerun the same command to finish it.</b>' : ''}</p>
<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
