/**
 * Runs a grid of configurations × seeds as MMRec does (each a full, independent training run),
 * resumably: every run has its own folder named by a hash of its full settings, and a run whose
 * folder holds a finished result.json is not trained again; an interrupted one continues from its
 * last.mmg. Selection is on validation by default; `selectOn: 'test'` reproduces the papers' choice
 * (the best *test* score) and every output then says "test-selected".
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';
import { round4 } from '../eval/metrics';
import { canonicalJson, meanSd, runId, type Combination } from '../config/grid';
import type { TrainSummary } from './train_async';
import type { NanStop, StopReason, TrainOptions } from './trainer';

export type SelectOn = 'valid' | 'test';

export interface GridJob {
  combination: Combination;
  seed: number;
  /** The run's folder (checkpoints go there). */
  dir: string;
  modelConfig: Record<string, unknown>;
  /** Options for this run: the base options, the combination's, the seed, checkpointDir and resume. */
  options: TrainOptions;
}

export interface GridOptions {
  outDir: string;
  modelName: string;
  /** The dataset spec (part of each run's identity). */
  data: string;
  combinations: Combination[];
  seeds: number[];
  /** Options shared by every run (epochs, device, datasetDefaults, …); a combination's own values win. */
  baseOptions: TrainOptions;
  /** Anything else that makes runs differ (e.g. the cold-start split); part of each run's identity. */
  identity?: Record<string, unknown>;
  selectOn: SelectOn;
  /** Trains one run (the CLI uses a worker thread; tests may train in-process). */
  trainOne: (job: GridJob) => Promise<TrainSummary>;
  /** Stops the grid before its next run (the current run stops through its own signal). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface RunRecord {
  seed: number;
  id: string;
  /** Relative to outDir. */
  dir: string;
  reused: boolean;
  stoppedBy: StopReason;
  bestEpoch: number;
  epochs: number;
  valid: Record<string, number> | null;
  test: Record<string, number> | null;
  nan?: NanStop;
}

export interface Stat {
  mean: number;
  sd: number;
  n: number;
}

export interface GridRow {
  index: number;
  values: Record<string, unknown>;
  /** The resolved hyper-parameters of this combination (defaults and dataset values filled in). */
  modelConfig: Record<string, unknown> | null;
  runs: RunRecord[];
  /** done: every seed evaluated; incomplete: some seed has no evaluated epoch (a NaN loss) or did not run. */
  status: 'done' | 'incomplete';
  valid: Record<string, Stat>;
  test: Record<string, Stat>;
  /** Mean over seeds of the selection split's metric; null when not comparable. */
  score: number | null;
  winner: boolean;
}

export interface GridResult {
  kind: 'grid';
  modelName: string;
  data: string;
  selectedOn: 'validation' | 'test';
  /** True when the winner was chosen on test metrics (the papers' protocol; optimistic). */
  testSelected: boolean;
  selectionMetric: string;
  /** Axis names in order (the table's parameter columns). */
  axes: string[];
  seeds: number[];
  metrics: string[];
  rows: GridRow[];
  /** Index of the winning combination, or null when none finished. */
  winner: number | null;
  /** The grid stopped early (Ctrl-C); rerunning the same command continues it. */
  interrupted: boolean;
  /** Runs trained now vs taken from an earlier invocation. */
  trained: number;
  reused: number;
}

const REPORTED = ['recall@10', 'recall@20', 'ndcg@10', 'ndcg@20'];

/** The label every output carries for the selection rule. */
export function selectionLabel(r: Pick<GridResult, 'testSelected' | 'selectionMetric'>): string {
  return r.testSelected
    ? `TEST-SELECTED: winner chosen on test ${r.selectionMetric} (as the papers did; optimistic, not a held-out estimate)`
    : `selected on validation ${r.selectionMetric}`;
}

function runOptions(o: GridOptions, c: Combination, seed: number): TrainOptions {
  const base = { ...o.baseOptions };
  delete base.signal;
  delete base.onEpoch;
  delete base.onProgress;
  delete base.checkpointDir;
  delete base.resume;
  return { ...base, ...c.train, seed };
}

export async function runGrid(o: GridOptions): Promise<GridResult> {
  const log = o.log ?? (() => {});
  const validMetric = (o.baseOptions.validMetric ?? 'recall@20').toLowerCase();
  const total = o.combinations.length * o.seeds.length;
  const records = new Map<number, RunRecord[]>();
  const configs = new Map<number, Record<string, unknown>>();
  let interrupted = false;
  let trained = 0;
  let reused = 0;
  let n = 0;
  outer: for (const c of o.combinations) {
    const list: RunRecord[] = [];
    records.set(c.index, list);
    for (const seed of o.seeds) {
      n++;
      const options = runOptions(o, c, seed);
      const id = runId({ model: o.modelName, data: o.data, modelConfig: c.model, options, identity: o.identity ?? {} });
      const rel = path.join('runs', id);
      const dir = path.join(o.outDir, rel);
      const resultFile = path.join(dir, 'result.json');
      const what = `[${n}/${total}] ${describeValues(c.values)} · seed ${seed}`;
      let summary: TrainSummary | null = null;
      let wasReused = false;
      if (o.signal?.aborted) {
        interrupted = true;
        break outer;
      }
      if (fs.existsSync(resultFile)) {
        const saved = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { id: string; summary: TrainSummary };
        if (saved.id === id) {
          summary = saved.summary;
          wasReused = true;
          reused++;
          log(`${what}: finished earlier, reusing ${rel}`);
        }
      }
      if (!summary) {
        fs.mkdirSync(dir, { recursive: true });
        const resuming = fs.existsSync(path.join(dir, 'last.mmg'));
        log(`${what}${resuming ? ': continuing from its last checkpoint' : ''} → ${rel}`);
        writeFileAtomic(path.join(dir, 'settings.json'), JSON.stringify({ id, model: o.modelName, data: o.data, combination: c.index, values: c.values, modelConfig: c.model, options }, null, 2));
        summary = await o.trainOne({ combination: c, seed, dir, modelConfig: c.model, options: { ...options, checkpointDir: dir, resume: true } });
        if (summary.stoppedBy === 'abort') {
          interrupted = true;
          break outer;
        }
        trained++;
        writeFileAtomic(resultFile, JSON.stringify({ id, summary }, null, 2));
        fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
        // The resume state is only for an unfinished run; a finished grid keeps each run's best.mmg only.
        fs.rmSync(path.join(dir, 'last.mmg'), { force: true });
      }
      if (!configs.has(c.index)) configs.set(c.index, summary.modelConfig);
      list.push({
        seed, id, dir: rel, reused: wasReused, stoppedBy: summary.stoppedBy, bestEpoch: summary.bestEpoch, epochs: summary.history.length,
        valid: summary.bestValid?.unrounded ?? null, test: summary.bestTest?.unrounded ?? null, ...(summary.nan ? { nan: summary.nan } : {}),
      });
    }
  }

  const metrics = [...new Set([validMetric, ...REPORTED])];
  const rows: GridRow[] = o.combinations.map((c) => {
    const runs = records.get(c.index) ?? [];
    const done = runs.length === o.seeds.length && runs.every((r) => r.valid && r.test);
    const stat = (split: 'valid' | 'test') =>
      Object.fromEntries(metrics.map((m) => [m, meanSd(runs.flatMap((r) => (r[split] && Number.isFinite(r[split]![m]) ? [r[split]![m]] : [])))])) as Record<string, Stat>;
    const valid = stat('valid');
    const test = stat('test');
    const score = done ? (o.selectOn === 'valid' ? valid : test)[validMetric].mean : null;
    return { index: c.index, values: c.values, modelConfig: configs.get(c.index) ?? null, runs, status: done ? 'done' : 'incomplete', valid, test, score, winner: false };
  });
  // Strictly greater on 4-decimal values, as MMRec compares: ties go to the earlier combination.
  let winner: GridRow | null = null;
  for (const r of rows) if (r.score !== null && (winner === null || round4(r.score) > round4(winner.score!))) winner = r;
  if (winner) winner.winner = true;
  return {
    kind: 'grid', modelName: o.modelName, data: o.data, selectedOn: o.selectOn === 'valid' ? 'validation' : 'test', testSelected: o.selectOn === 'test',
    selectionMetric: validMetric, axes: [...new Set(o.combinations.flatMap((c) => Object.keys(c.values)))], seeds: o.seeds, metrics, rows,
    winner: winner?.index ?? null, interrupted, trained, reused,
  };
}

export function describeValues(values: Record<string, unknown>): string {
  const keys = Object.keys(values);
  return keys.length ? keys.map((k) => `${k}=${formatValue(values[k])}`).join(', ') : '(one configuration)';
}

function formatValue(v: unknown): string {
  return typeof v === 'string' ? v : canonicalJson(v);
}

const fmt = (s: Stat | undefined, sd: boolean) => (!s || !s.n ? '' : sd && s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}` : s.mean.toFixed(4));

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function statusText(r: GridRow): string {
  if (r.status === 'done') {
    const nan = r.runs.filter((x) => x.stoppedBy === 'nan-loss');
    return nan.length ? `done (NaN loss stopped ${nan.length} run${nan.length > 1 ? 's' : ''} early)` : 'done';
  }
  const bad = r.runs.find((x) => !x.valid);
  if (bad?.nan) return `no result: NaN loss at epoch ${bad.nan.epoch}, step ${bad.nan.step}`;
  if (bad) return 'no result: no evaluated epoch';
  return 'not run';
}

/** One line per combination: its values, per-split mean (and sd over seeds), best epochs, the winner mark. */
export function gridCsv(r: GridResult): string {
  const head = ['combination', ...r.axes, 'seeds', 'status', 'best_epochs'];
  for (const split of ['valid', 'test'] as const)
    for (const m of r.metrics) head.push(`${split}_${m}_mean`, `${split}_${m}_sd`);
  head.push(r.testSelected ? `winner (TEST-SELECTED on test ${r.selectionMetric})` : `winner (selected on validation ${r.selectionMetric})`, 'runs');
  const lines = [head.map(csvCell).join(',')];
  for (const row of r.rows) {
    const cells = [String(row.index), ...r.axes.map((a) => (a in row.values ? formatValue(row.values[a]) : '')), String(row.runs.length), statusText(row), row.runs.map((x) => x.bestEpoch).join(' ')];
    for (const split of ['valid', 'test'] as const)
      for (const m of r.metrics) {
        const s = row[split][m];
        cells.push(s?.n ? String(s.mean) : '', s?.n ? String(s.sd) : '');
      }
    cells.push(row.winner ? '*' : '', row.runs.map((x) => x.dir).join(' '));
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/** A fixed-width table for the terminal. */
export function formatGridTable(r: GridResult): string {
  const sd = r.seeds.length > 1;
  const head = ['#', ...r.axes, `valid ${r.selectionMetric}`, ...REPORTED.map((m) => `test ${m}`), 'status', ''];
  const body = r.rows.map((row) => [
    String(row.index), ...r.axes.map((a) => formatValue(row.values[a])), fmt(row.valid[r.selectionMetric], sd), ...REPORTED.map((m) => fmt(row.test[m], sd)),
    statusText(row), row.winner ? (r.testSelected ? '* (test-selected)' : '*') : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

/** Writes results.csv and results.json (the table), returning their paths. */
export function writeGridTables(outDir: string, r: GridResult): { csv: string; json: string } {
  const csv = path.join(outDir, 'results.csv');
  const json = path.join(outDir, 'results.json');
  writeFileAtomic(csv, gridCsv(r));
  writeFileAtomic(json, JSON.stringify({ ...r, selection: selectionLabel(r) }, null, 2));
  return { csv, json };
}
