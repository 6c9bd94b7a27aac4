/**
 * `mmgraph train`'s reading of its configuration: config files (MMRec yaml, comma-separated,
 * later files winning), per-dataset defaults, the seed list, the grid and its selection rule; and
 * the grid run itself (one line of the result table per combination).
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import { modelFactory, type ModelFactory } from '../models/model';
import { resolveSchema, type DatasetName } from '../nn/schema';
import { readRunConfig, describeIgnored, type RunConfig } from '../config/mmrec_yaml';
import { expandGrid, parseSeeds, type Combination } from '../config/grid';
import { describeDatasetDefaults, inferDatasetName, parseDatasetDefaults, withDatasetValues } from '../config/model_defaults';
import { resolveTrainOptions, TRAIN_DEFAULTS, type TrainOptions } from '../train/trainer';
import { formatGridTable, runGrid, selectionLabel, writeGridTables, type GridResult, type SelectOn } from '../train/grid_runner';
import type { TrainAsyncOptions, TrainSummary } from '../train/train_async';
import { renderReport } from '../report/html';
import { writeFileAtomic } from '../io/atomic';
import { intFlag, type ParsedArgs } from './args';

export interface TrainPlan {
  factory: ModelFactory;
  cfg: RunConfig;
  combinations: Combination[];
  seeds: number[];
  selectOn: SelectOn;
  /** True when --select-on was given explicitly. */
  selectOnGiven: boolean;
  datasetDefaults: DatasetName | null;
  /** Lines to print before training (ignored keys, dataset defaults, the grid's size). */
  notes: string[];
}

export function planTrain(a: ParsedArgs, modelName: string, data: string): TrainPlan {
  const factory = modelFactory(modelName);
  const files = a.flags.has('config') ? String(a.flags.get('config')).split(',').map((f) => f.trim()).filter(Boolean) : [];
  const cfg = readRunConfig(files, factory);
  // Command-line values beat the files; a grid axis over the same key stays a grid.
  if (a.flags.has('epochs')) cfg.train.epochs = intFlag(a, 'epochs', TRAIN_DEFAULTS.epochs);
  const notes: string[] = [];
  const ignored = describeIgnored(cfg, factory.name);
  if (ignored) notes.push(ignored);

  let datasetDefaults: DatasetName | null;
  let how: string;
  if (a.flags.has('dataset-defaults')) {
    datasetDefaults = parseDatasetDefaults(String(a.flags.get('dataset-defaults')));
    how = '--dataset-defaults';
  } else {
    datasetDefaults = inferDatasetName(data);
    how = `inferred from the folder name; --dataset-defaults none turns this off`;
  }
  const given = new Set([...Object.keys(cfg.model), ...cfg.axes.filter((x) => x.target === 'model').map((x) => x.key)]);
  const dd = describeDatasetDefaults(factory, datasetDefaults, how, given);
  if (dd) notes.push(dd);

  let seeds: number[];
  if (a.flags.has('seeds')) {
    if (a.flags.has('seed')) throw new MmgError('train: give --seed N or --seeds A,B,C, not both', 'MMG_E_ARG');
    seeds = parseSeeds(String(a.flags.get('seeds')));
  } else if (a.flags.has('seed')) seeds = [intFlag(a, 'seed', TRAIN_DEFAULTS.seed)];
  else seeds = cfg.seeds ?? [TRAIN_DEFAULTS.seed];

  const sel = a.flags.get('select-on');
  let selectOn: SelectOn = 'valid';
  if (sel !== undefined) {
    const v = String(sel).toLowerCase();
    if (v === 'valid' || v === 'validation') selectOn = 'valid';
    else if (v === 'test') selectOn = 'test';
    else throw new MmgError(`train: expected --select-on valid or test, got '${String(sel)}'`, 'MMG_E_ARG');
  }
  const combinations = expandGrid(cfg);
  // Every combination is checked before the first is trained: a bad value in the 90th must not cost 89 runs.
  for (const c of combinations) {
    resolveTrainOptions(factory.name, { ...cfg.train, ...c.train });
    if (factory.schema) resolveSchema(factory.name, factory.schema, withDatasetValues(factory, datasetDefaults, c.model));
  }
  if (combinations.length > 1 || seeds.length > 1)
    notes.push(`grid: ${combinations.length} combination${combinations.length === 1 ? '' : 's'} × ${seeds.length} seed${seeds.length === 1 ? '' : 's'} = ${combinations.length * seeds.length} runs; ${selectOn === 'test' ? 'winner TEST-SELECTED (on test metrics, as the papers did)' : 'winner selected on validation'}`);
  else if (sel !== undefined) notes.push('--select-on has no effect on a single configuration and seed');
  return { factory, cfg, combinations, seeds, selectOn, selectOnGiven: sel !== undefined, datasetDefaults, notes };
}

export function isGrid(p: TrainPlan): boolean {
  return p.combinations.length > 1 || p.seeds.length > 1;
}

type TrainFn = (data: string, model: string, config: Record<string, unknown>, options: TrainOptions, show: boolean, extra: Pick<TrainAsyncOptions, 'coldStart' | 'onDataset'>) => Promise<TrainSummary>;

/** Runs the grid, writes results.csv/json, report.html and summary.json into `out`; returns the exit code. */
export async function runGridCommand(p: TrainPlan, data: string, out: string, base: TrainOptions, show: boolean, extra: Pick<TrainAsyncOptions, 'coldStart'>, trainFn: TrainFn): Promise<number> {
  let dataset: { name: string; nUsers: number; nItems: number; nTrain: number } | null = null;
  // Ctrl-C between two runs stops the grid too (during a run, trainWithProgress stops that run).
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on('SIGINT', onSigint);
  const result = await runGrid({
    outDir: out, modelName: p.factory.name, data, combinations: p.combinations, seeds: p.seeds, baseOptions: base,
    identity: extra.coldStart ? { coldStart: extra.coldStart } : {}, selectOn: p.selectOn, log: (l) => console.log(l), signal: stop.signal,
    trainOne: async (job) => {
      const s = await trainFn(data, p.factory.name, job.modelConfig, job.options, show, { ...extra, onDataset: (d) => (dataset = d) });
      if (s.nan) warnNan(s);
      return s;
    },
  }).finally(() => process.removeListener('SIGINT', onSigint));
  const tables = writeGridTables(out, result);
  const winner = result.winner === null ? null : result.rows[result.winner];
  const winnerRuns = winner ? winner.runs.map((r) => JSON.parse(fs.readFileSync(path.join(out, r.dir, 'result.json'), 'utf8')).summary as TrainSummary) : [];
  const report = path.join(out, 'report.html');
  if (dataset || winnerRuns.length) {
    const ds = dataset ?? { name: data, nUsers: 0, nItems: 0, nTrain: 0 };
    writeFileAtomic(report, renderReport({
      title: `mmgraph grid: ${p.factory.name}${result.testSelected ? ' (test-selected)' : ''}`,
      dataset: ds,
      models: winnerRuns.map((s, i) => ({
        name: `winner #${winner!.index} seed ${winner!.runs[i].seed}`, history: s.history, bestEpoch: s.bestEpoch, test: s.bestTest?.rounded ?? null,
        valid: s.bestValid?.rounded ?? null, trainSeconds: s.history.reduce((t, e) => t + e.trainSec, 0),
      })),
      metrics: result.metrics,
      validMetric: result.selectionMetric,
      grid: result,
    }));
  }
  const summary = {
    kind: 'grid', modelName: p.factory.name, data, configFiles: p.cfg.files, ignoredKeys: p.cfg.ignored.map((i) => i.key), datasetDefaults: p.datasetDefaults,
    selectedOn: result.selectedOn, testSelected: result.testSelected, selection: selectionLabel(result), seeds: p.seeds, axes: result.axes,
    combinations: p.combinations.length, interrupted: result.interrupted,
    winner: winner ? { index: winner.index, values: winner.values, modelConfig: winner.modelConfig, valid: winner.valid, test: winner.test, runs: winner.runs.map((r) => r.dir) } : null,
    trainOptions: winnerRuns[0]?.trainOptions ?? null,
    table: { csv: 'results.csv', json: 'results.json' },
  };
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2));
  console.log('');
  console.log(formatGridTable(result));
  console.log(`${selectionLabel(result)}${p.seeds.length > 1 ? `; mean ± sd over seeds ${p.seeds.join(', ')}` : ''}`);
  console.log(`results: ${tables.csv}, ${tables.json}${fs.existsSync(report) ? `, ${report}` : ''}; ${result.trained} run(s) trained now, ${result.reused} reused`);
  if (result.interrupted) {
    console.log('interrupted: rerun the same command to continue (finished runs are kept)');
    return 130;
  }
  if (!winner) {
    console.error('mmgraph: no combination completed an evaluated epoch');
    return 1;
  }
  console.log(`winner: #${winner.index} ${Object.keys(winner.values).map((k) => `${k}=${JSON.stringify(winner.values[k])}`).join(', ')} (runs in ${winner.runs.map((r) => path.join(out, r.dir)).join(', ')})`);
  return 0;
}

/** The NaN warning: where it happened and what was kept. */
export function warnNan(s: TrainSummary): void {
  const n = s.nan!;
  const kept = s.history.length === 0
    ? 'no epoch completed, so there is no result'
    : s.bestEpoch >= 0 ? `kept the best result so far (epoch ${s.bestEpoch})` : `${s.history.length} epoch(s) completed but none was evaluated`;
  console.error(`warning: the loss became ${n.loss.total} at epoch ${n.epoch}, step ${n.step}; training stopped and ${kept} (lower the learning rate or check the features for extreme values)`);
}

/** Settings of a single run for its summary.json. */
export function planSummaryFields(p: TrainPlan): Record<string, unknown> {
  return { configFiles: p.cfg.files, ignoredKeys: p.cfg.ignored.map((i) => i.key), datasetDefaults: p.datasetDefaults };
}
