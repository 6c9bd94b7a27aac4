/** mmgraph train | eval | recommend | synth | info. */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import { addonPath, loadAddon, packageRoot } from '../native/load';
import { backends, cudaReport } from '../backends';
import { cudaInstallHint, versionAtLeast } from '../cuda_runtime';
import { loadDataset } from '../data/source';
import { writeMmrec } from '../data/mmrec';
import { syntheticDataset, type SyntheticPreset } from '../data/synthetic';
import { trainAsync, type TrainAsyncOptions } from '../train/train_async';
import { TRAIN_DEFAULTS, type TrainOptions } from '../train/trainer';
import { isGrid, planSummaryFields, planTrain, runGridCommand, warnNan } from './train_plan';
import { evaluateSplit } from '../eval/evaluate_model';
import { coldStartFlags, runColdStartEval } from './cold_start';
import { Recommender } from '../recommender';
import { modelFactory, modelNames } from '../models';
import { parseArgs, intFlag, intListFlag, listFlag } from './args';
import { ProgressBar } from './progress';

const TRAIN_FLAGS = {
  model: 'string', data: 'string', config: 'string', out: 'string', epochs: 'string', seed: 'string', device: 'string',
  resume: 'boolean', help: 'boolean', quiet: 'boolean', 'cold-start': 'string', 'cold-fraction': 'string', 'cold-seed': 'string',
  'dataset-defaults': 'string', seeds: 'string', 'select-on': 'string',
} as const;

export async function runTrain(argv: string[]): Promise<number> {
  const a = parseArgs(argv, TRAIN_FLAGS);
  if (a.flags.has('help')) {
    console.log(`mmgraph train --model <${modelNames().join('|')}> --data <dir|file|synthetic:PRESET> [--config F.yaml[,G.yaml…]]
  [--epochs N] [--seed N | --seeds 1,2,3] [--dataset-defaults baby|sports|clothing|elec|none] [--select-on valid|test]
  [--device cpu|cuda] [--out DIR (default runs/<model>)] [--resume] [--quiet]
  [--cold-start items [--cold-fraction 0.2] [--cold-seed 999]]
Saves DIR/best.mmg (serve it) and DIR/last.mmg (resume state), and DIR/summary.json.
--config: MMRec yaml (overall, dataset and model files, in that order) or JSON, read verbatim: MMRec keys
the model does not use are listed as ignored; list values (and MMRec's hyper_parameters) make a grid, and
every combination × seed is trained in DIR/runs/<id>/ (rerun the command to continue an interrupted grid),
then DIR/results.csv, results.json and report.html hold the table. The winner is selected on validation;
--select-on test picks on test metrics as the papers did, and is labelled test-selected everywhere.
--seeds: each configuration once per seed; the table reports mean ± sd.
--dataset-defaults: the model's published per-dataset values (inferred from an MMRec folder named
baby/sports/clothing/elec); values in --config still win.
--cold-start items: train on the item cold-start split (that share of items loses its training rows,
which move to validation/test 50/50); summary.json and best.mmg record it for 'mmgraph eval --cold-start'.`);
    return 0;
  }
  const modelName = (a.flags.get('model') as string) ?? '';
  if (!modelName) throw new MmgError('train: --model is required (one of ' + modelNames().join(', ') + ')', 'MMG_E_ARG');
  modelFactory(modelName);
  const data = a.flags.get('data') as string;
  if (!data) throw new MmgError('train: --data is required (an MMRec folder, a CSV file or synthetic:<preset>)', 'MMG_E_ARG');
  const plan = planTrain(a, modelName, data);
  for (const n of plan.notes) console.log(n);
  const out = (a.flags.get('out') as string) ?? path.join('runs', modelName);
  const coldStart = coldStartFlags(a);
  const options: TrainOptions = {
    ...plan.cfg.train,
    ...plan.combinations[0].train,
    seed: plan.seeds[0],
    device: ((a.flags.get('device') as string) ?? process.env.MMGRAPH_DEVICE ?? 'cpu') as TrainOptions['device'],
    checkpointDir: out,
    resume: a.flags.has('resume'),
    datasetDefaults: plan.datasetDefaults,
  };
  if (isGrid(plan)) return runGridCommand(plan, data, out, options, !a.flags.has('quiet'), coldStart ? { coldStart } : {}, trainWithProgress);
  const summary = await trainWithProgress(data, modelName, plan.combinations[0].model, options, !a.flags.has('quiet'), coldStart ? { coldStart } : {});
  fs.mkdirSync(out, { recursive: true }); // no checkpoint exists when the loss is NaN from the first step
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ ...summary, ...planSummaryFields(plan) }, null, 2));
  if (summary.nan) warnNan(summary);
  console.log(`best epoch ${summary.bestEpoch} (${summary.stoppedBy}); test: ${formatMetrics(summary.bestTest?.rounded)}`);
  const cs = summary.coldStart;
  if (cs)
    console.log(`item cold-start (${cs.nColdItems} cold items, fraction ${cs.fraction}, seed ${cs.seed}); test, cold-item rows only: ${formatMetrics(cs.coldItemsTest?.rounded)}`);
  // A NaN loss before any epoch completed leaves nothing to report: that alone is a failure.
  if (summary.nan && summary.history.length === 0) return 1;
  console.log(`model saved to ${path.join(out, 'best.mmg')}`);
  return 0;
}

export async function trainWithProgress(
  data: string,
  modelName: string,
  modelConfig: Record<string, unknown>,
  options: TrainOptions,
  show = true,
  extra: Pick<TrainAsyncOptions, 'coldStart' | 'onDataset'> = {},
) {
  const bar = new ProgressBar(modelName);
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ninterrupted: stopping after this step (checkpoints so far are kept)\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await trainAsync(data, modelName, modelConfig, {
      ...options,
      ...extra,
      signal: controller.signal,
      onProgress: show ? (p) => bar.update(p) : undefined,
      onEpoch: show
        ? (e) =>
            bar.done(
              `${modelName} epoch ${e.epoch}: loss ${e.loss.total?.toFixed(4)} valid ${options.validMetric ?? TRAIN_DEFAULTS.validMetric} ` +
                `${e.valid ? e.valid.unrounded[(options.validMetric ?? TRAIN_DEFAULTS.validMetric).toLowerCase()].toFixed(4) : '-'}${e.improved ? ' *' : ''} ` +
                `(${e.trainSec.toFixed(1)}s + eval ${e.evalSec.toFixed(1)}s)`,
            )
        : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function formatMetrics(m: Record<string, number> | undefined | null, keys = ['recall@10', 'recall@20', 'ndcg@10', 'ndcg@20']): string {
  if (!m) return '(no evaluation)';
  return keys.map((k) => `${k} ${m[k]?.toFixed(4)}`).join('  ');
}

export async function runEval(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    'model-file': 'string', data: 'string', split: 'string', topk: 'string', help: 'boolean', 'cold-start': 'boolean', 'user-groups': 'string', json: 'boolean',
  });
  if (a.flags.has('help')) {
    console.log(`mmgraph eval --model-file F --data D [--split test|valid] [--topk 5,10,20,50]: full-ranking metrics (MMRec protocol) of a saved model
  [--cold-start [--user-groups 5,10,20] [--json]]: also the item cold-start metrics (only rows with cold items count;
  needs a model trained with 'mmgraph train --cold-start items') and Recall/NDCG@20 per user-sparsity group
  (test users bucketed by training interactions: ≤5, 6–10, 11–20, >20).
A model trained with --cold-start items is always evaluated on its own cold-start split.`);
    return 0;
  }
  const file = a.flags.get('model-file') as string;
  const data = a.flags.get('data') as string;
  if (!file || !data) throw new MmgError('eval: --model-file and --data are required', 'MMG_E_ARG');
  const split = ((a.flags.get('split') as string) ?? 'test') as 'test' | 'valid';
  if (split !== 'test' && split !== 'valid') throw new MmgError(`eval: expected --split test or valid, got ${split}`, 'MMG_E_ARG');
  if (!a.flags.has('cold-start'))
    for (const f of ['user-groups', 'json']) if (a.flags.has(f)) throw new MmgError(`eval: --${f} goes with --cold-start`, 'MMG_E_ARG');
  const rec = Recommender.load(file);
  const loaded = loadDataset(data);
  if (loaded.nUsers !== rec.nUsers || loaded.nItems !== rec.nItems)
    throw new MmgError(`eval: the model has ${rec.nUsers} users × ${rec.nItems} items, the data ${loaded.nUsers} × ${loaded.nItems}: not the dataset it was trained on`, 'MMG_E_DATA');
  const topk = intListFlag(a, 'topk') ?? [5, 10, 20, 50].filter((k) => k <= loaded.nItems);
  if (a.flags.has('cold-start') || rec.meta.coldStart) {
    runColdStartEval(rec, loaded, file, split, topk, a);
    rec.dispose();
    return 0;
  }
  const r = evaluateSplit(loaded, split, rec.userEmbeddings, rec.itemEmbeddings, { topk });
  for (const [k, v] of Object.entries(r.rounded)) console.log(`${k.padEnd(14)} ${v.toFixed(4)}`);
  rec.dispose();
  return 0;
}

export async function runRecommend(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { 'model-file': 'string', users: 'string', k: 'string', 'include-seen': 'boolean', json: 'boolean', help: 'boolean' });
  if (a.flags.has('help')) {
    console.log('mmgraph recommend --model-file F --users 1,2,3 [--k 10] [--include-seen] [--json]');
    return 0;
  }
  const file = a.flags.get('model-file') as string;
  const users = listFlag(a, 'users');
  if (!file || !users) throw new MmgError('recommend: --model-file and --users are required', 'MMG_E_ARG');
  const rec = Recommender.load(file);
  const ids = users.map((s) => {
    if (rec.meta.userIds) return s;
    if (!/^\d+$/.test(s)) {
      rec.dispose();
      throw new MmgError(`--users: expected user ids as non-negative integers (the model has no id map), got '${s}'`, 'MMG_E_ARG');
    }
    return Number(s);
  });
  const res = rec.recommend(ids, intFlag(a, 'k', 10), { excludeSeen: !a.flags.has('include-seen') });
  if (a.flags.has('json')) console.log(JSON.stringify(ids.map((u, i) => ({ user: u, items: res[i] }))));
  else ids.forEach((u, i) => console.log(`user ${u}: ${res[i].map((r) => `${r.item} (${r.score.toFixed(3)})`).join(', ')}`));
  rec.dispose();
  return 0;
}

export async function runSynth(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { preset: 'string', out: 'string', seed: 'string', help: 'boolean' });
  if (a.flags.has('help')) {
    console.log('mmgraph synth --preset tiny|small|baby --out DIR [--seed N]: writes <preset>.inter, image_feat.npy, text_feat.npy');
    return 0;
  }
  const preset = ((a.flags.get('preset') as string) ?? 'small') as SyntheticPreset;
  const out = a.flags.get('out') as string;
  if (!out) throw new MmgError('synth: --out is required', 'MMG_E_ARG');
  const ds = syntheticDataset(preset, a.flags.has('seed') ? { seed: intFlag(a, 'seed', 0) } : {});
  writeMmrec(ds, out);
  console.log(`wrote ${ds.name}: ${ds.nUsers} users, ${ds.nItems} items, ${ds.train.users.length}/${ds.valid.users.length}/${ds.test.users.length} train/valid/test rows to ${out}`);
  return 0;
}

export async function runInfo(_argv: string[]): Promise<number> {
  const addon = loadAddon();
  const b = addon.buildInfo;
  const file = addonPath();
  const rel = path.relative(packageRoot, file);
  const origin = rel.startsWith('prebuilds') ? 'prebuilt' : rel.startsWith('build') ? 'built from source' : 'MMGRAPH_ADDON';
  let version = '?';
  try {
    version = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // a source tree without package.json next to it
  }
  console.log(`mmgraph ${version}, Node ${process.version}, ${process.platform}-${process.arch}`);
  console.log(`native addon: ${file} (${origin})`);
  console.log(
    `dense products: ${b.gemm === 'eigen' ? 'Eigen 3.4' : 'built-in packed kernel (Eigen 3.4 headers were not found at build time)'}, ${b.gemmSimd} (MMGRAPH_MAX_SIMD caps it)`,
  );
  console.log(`CPU features: ${b.cpuFeatures || 'baseline'}; threads: ${addon.numThreads()} (MMGRAPH_NUM_THREADS to change)`);
  const all = backends();
  const line = (be: (typeof all)[number]) => `backend ${be.name}: ${be.available ? 'available' : 'unavailable'}${be.reason ? ` — ${be.reason}` : ''}`;
  console.log(line(all[0]));
  // CUDA: the backend library, each run-time library and where it was found, the driver.
  const c = cudaReport();
  const m = c.manifest;
  const built = c.backend.code !== 'not-built';
  console.log(
    `CUDA backend library: ${c.backend.library}${!m ? '' : built ? ` (CUDA ${m.cuda}, sm_${m.archs.join(', sm_')} + PTX; needs NVIDIA driver >= ${m.minDriver})` : ` (not present; a CUDA ${m.cuda} build would use:)`}`,
  );
  for (const l of c.libs ?? []) console.log(`  ${l.soname}: ${l.error ? `not found (${l.error})` : `${l.path} (${l.source})`}`);
  console.log(
    `NVIDIA driver: ${c.driver ? `${c.driver}${m && !versionAtLeast(c.driver, m.minDriver) ? ` — older than ${m.minDriver}: update it` : ''}` : 'none loaded (no /proc/driver/nvidia/version)'}`,
  );
  console.log(line(c.backend));
  if (!c.backend.available && m && c.backend.code !== 'unsupported-platform' && c.backend.code !== 'not-built') {
    const todo: string[] = [];
    if (!c.driver) todo.push(`the NVIDIA driver ${m.minDriver} or newer (or, in a container, run it with the GPU exposed: docker run --gpus all)`);
    else if (!versionAtLeast(c.driver, m.minDriver)) todo.push(`an NVIDIA driver ${m.minDriver} or newer (this one is ${c.driver})`);
    if ((c.libs ?? []).some((l) => l.error)) todo.push(`the CUDA libraries: ${cudaInstallHint(m)}`);
    if (todo.length) console.log(`to use the GPU, install: ${todo.join('; and ')}`);
  }
  // The host emulator, listed only where it was enabled (tests): lib/testing.ts.
  for (const be of all.slice(2)) console.log(line(be));
  console.log(`models: ${modelNames().join(', ')}`);
  return 0;
}
