/**
 * The grid runner: every combination × seed trained and tabulated, the winner chosen on validation
 * (or, labelled, on test), an interrupted grid continuing where it stopped without retraining
 * finished runs, seeds summarized as mean ± sample sd, and a NaN run reported without a result.
 * Runs train in-process on synthetic:tiny (LightGCN, 1–3 epochs) to stay fast.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { train, type TrainOptions } from '../../lib/train/trainer';
import { runGrid, gridCsv, writeGridTables, type GridJob } from '../../lib/train/grid_runner';
import { expandGrid } from '../../lib/config/grid';
import { renderGridSection } from '../../lib/report/grid';
import type { TrainSummary } from '../../lib/train/train_async';
import { syntheticDataset } from '../../lib/data/synthetic';
import '../../lib/models';

const ds = syntheticDataset('tiny');
const BASE: TrainOptions = { epochs: 2, batchSize: 64, topk: [5, 10, 20] };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-grid-'));

function summaryOf(r: ReturnType<typeof train>): TrainSummary {
  const s: TrainSummary = {
    modelName: r.modelName, modelConfig: r.modelConfig, bestEpoch: r.bestEpoch, bestValid: r.bestValid, bestTest: r.bestTest, history: r.history,
    stoppedBy: r.stoppedBy, datasetDefaults: r.datasetDefaults, trainOptions: r.options, ...(r.nan ? { nan: r.nan } : {}),
  };
  r.model.dispose();
  return s;
}

/** In-process trainOne that records its calls and steps; `abortAt` aborts the n-th call (1-based) after `afterSteps` steps. */
function trainer(calls: GridJob[], abortAt = 0, afterSteps = 0, steps: number[] = []) {
  return async (job: GridJob) => {
    calls.push(job);
    const ctl = new AbortController();
    const k = calls.length;
    steps[k - 1] = 0;
    const onProgress = () => {
      if (++steps[k - 1] === afterSteps && k === abortAt) ctl.abort();
    };
    return summaryOf(train(ds, 'lightgcn', job.modelConfig, { ...job.options, signal: ctl.signal, onProgress }));
  };
}

const grid = (values: number[]) => expandGrid({ model: {}, train: {}, axes: [{ name: 'n_layers', target: 'model', key: 'n_layers', values }] });

describe('grid runner', () => {
  test('2×1 grid: one row per combination, the best validation score wins, tables and report section written', async () => {
    const out = tmp();
    const calls: GridJob[] = [];
    const r = await runGrid({ outDir: out, modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([1, 2]), seeds: [999], baseOptions: BASE, selectOn: 'valid', trainOne: trainer(calls) });
    expect(calls.map((c) => c.modelConfig)).toEqual([{ n_layers: 1 }, { n_layers: 2 }]);
    expect(r.rows).toHaveLength(2);
    expect(r.trained).toBe(2);
    // The winner recomputed from each run's own summary on disk.
    const score = (i: number) => JSON.parse(fs.readFileSync(path.join(out, r.rows[i].runs[0].dir, 'summary.json'), 'utf8')).bestValid.unrounded['recall@20'];
    const s0 = Math.round(score(0) * 1e4), s1 = Math.round(score(1) * 1e4);
    expect(r.winner).toBe(s1 > s0 ? 1 : 0);
    expect(r.rows.filter((x) => x.winner)).toHaveLength(1);
    expect(r.testSelected).toBe(false);
    const { csv, json } = writeGridTables(out, r);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^combination,n_layers,seeds,status,best_epochs,valid_recall@20_mean,/);
    expect(lines[0]).toMatch(/winner \(selected on validation recall@20\)/);
    expect(lines.filter((l) => /,\*,runs\//.test(l))).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).selection).toBe('selected on validation recall@20');
    expect(renderGridSection(r)).toMatch(/<h2>Hyper-parameter grid<\/h2>/);
    // Finished runs keep best.mmg (servable) and drop the resume state.
    for (const row of r.rows) {
      expect(fs.existsSync(path.join(out, row.runs[0].dir, 'best.mmg'))).toBe(true);
      expect(fs.existsSync(path.join(out, row.runs[0].dir, 'last.mmg'))).toBe(false);
    }
  });

  test('--select-on test picks on test metrics and every output says test-selected', async () => {
    const out = tmp();
    const r = await runGrid({ outDir: out, modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([0, 1]), seeds: [999], baseOptions: { ...BASE, epochs: 1 }, selectOn: 'test', trainOne: trainer([]) });
    const t = r.rows.map((x) => Math.round(x.test['recall@20'].mean * 1e4));
    expect(r.winner).toBe(t[1] > t[0] ? 1 : 0);
    expect(r.testSelected).toBe(true);
    expect(gridCsv(r).split('\n')[0]).toMatch(/winner \(TEST-SELECTED on test recall@20\)/);
    expect(renderGridSection(r)).toMatch(/TEST-SELECTED/);
    writeGridTables(out, r);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).selection).toMatch(/^TEST-SELECTED/);
  });

  test('a grid killed in its second run continues there: the first is not retrained, the second resumes to the same result', async () => {
    const opts = { ...BASE, epochs: 3 };
    const stepsPerEpoch = Math.ceil(ds.train.users.length / 64);
    const out = tmp();
    const first: GridJob[] = [];
    const a = await runGrid({ outDir: out, modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([1, 2]), seeds: [999], baseOptions: opts, selectOn: 'valid', trainOne: trainer(first, 2, stepsPerEpoch + 2) });
    expect(a.interrupted).toBe(true);
    expect(first).toHaveLength(2);
    const doneDir = path.join(out, a.rows[0].runs[0].dir);
    const stamp = fs.statSync(path.join(doneDir, 'result.json')).mtimeMs;
    const killedDir = first[1].dir;
    expect(fs.existsSync(path.join(killedDir, 'last.mmg'))).toBe(true);
    expect(fs.existsSync(path.join(killedDir, 'result.json'))).toBe(false);

    const second: GridJob[] = [];
    const steps: number[] = [];
    const b = await runGrid({ outDir: out, modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([1, 2]), seeds: [999], baseOptions: opts, selectOn: 'valid', trainOne: trainer(second, 0, 0, steps) });
    // Continued from last.mmg (end of epoch 0): only epochs 1 and 2 were trained now.
    expect(steps).toEqual([2 * stepsPerEpoch]);
    expect(b.interrupted).toBe(false);
    expect(second.map((j) => j.modelConfig)).toEqual([{ n_layers: 2 }]);
    expect(second[0].dir).toBe(killedDir);
    expect(b.reused).toBe(1);
    expect(b.trained).toBe(1);
    expect(fs.statSync(path.join(doneDir, 'result.json')).mtimeMs).toBe(stamp);

    // The same grid uninterrupted, elsewhere: identical table.
    const c = await runGrid({ outDir: tmp(), modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([1, 2]), seeds: [999], baseOptions: opts, selectOn: 'valid', trainOne: trainer([]) });
    expect(b.rows.map((r) => r.runs[0].test)).toEqual(c.rows.map((r) => r.runs[0].test));
    expect(b.rows.map((r) => r.runs[0].valid)).toEqual(c.rows.map((r) => r.runs[0].valid));
    expect(b.winner).toBe(c.winner);
  });

  test('seeds: each configuration per seed, summarized as mean ± sample standard deviation', async () => {
    const seeds = [1, 2, 3];
    const r = await runGrid({ outDir: tmp(), modelName: 'lightgcn', data: 'synthetic:tiny', combinations: grid([1]), seeds, baseOptions: { ...BASE, epochs: 1 }, selectOn: 'valid', trainOne: trainer([]) });
    const own = seeds.map((seed) => summaryOf(train(ds, 'lightgcn', { n_layers: 1 }, { ...BASE, epochs: 1, seed })).bestTest!.unrounded['recall@20']);
    const mean = (own[0] + own[1] + own[2]) / 3;
    const sd = Math.sqrt(own.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(r.rows[0].runs.map((x) => x.seed)).toEqual(seeds);
    expect(r.rows[0].test['recall@20'].mean).toBeCloseTo(mean, 12);
    expect(r.rows[0].test['recall@20'].sd).toBeCloseTo(sd, 12);
    expect(r.rows[0].test['recall@20'].n).toBe(3);
    expect(renderGridSection(r)).toMatch(/mean ± sample standard deviation/);
  });

  test('a combination whose loss turns NaN before any epoch has no result and cannot win', async () => {
    const combos = expandGrid({ model: {}, train: {}, axes: [{ name: 'learning_rate', target: 'train', key: 'lr', values: [1e30, 0.001] }] });
    const r = await runGrid({ outDir: tmp(), modelName: 'lightgcn', data: 'synthetic:tiny', combinations: combos, seeds: [999], baseOptions: { ...BASE, epochs: 1 }, selectOn: 'valid', trainOne: trainer([]) });
    expect(r.rows[0].status).toBe('incomplete');
    expect(r.rows[0].runs[0].stoppedBy).toBe('nan-loss');
    expect(r.rows[0].runs[0].nan).toMatchObject({ epoch: 0 });
    expect(r.winner).toBe(1);
    expect(gridCsv(r)).toMatch(/no result: NaN loss at epoch 0, step \d+/);
  });
});

describe('NaN loss in train()', () => {
  test('stops at the NaN step, keeps the best epoch so far, and says where', () => {
    // lr·γ^(e/T): epoch 0 trains at 0.001, epoch 1 at 1e27, which overflows the scores.
    const r = train(ds, 'lightgcn', {}, { ...BASE, epochs: 4, lrScheduler: [1e30, 1] });
    expect(r.stoppedBy).toBe('nan-loss');
    expect(r.nan!.epoch).toBe(1);
    expect(r.nan!.step).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(r.nan!.loss.total)).toBe(false);
    expect(r.history).toHaveLength(1);
    expect(r.bestEpoch).toBe(0);
    expect(r.bestTest!.unrounded['recall@20']).toBeGreaterThan(0);
    r.model.dispose();
  });
});
