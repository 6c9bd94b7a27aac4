/**
 * Accuracy table of every model and every ablation switch (issue 7's report): test Recall@20 and
 * NDCG@20 at the best validation epoch, epochs to early stop and seconds per training epoch, as
 * mean ± sd over seeds, under the MMRec protocol (lr 1e-3 unless given, batch 2048, patience as given).
 *
 *   npx tsc -p . && node dist/bench/models.js [--preset small] [--seeds 1,2,3] [--epochs 100] [--patience 10]
 *        [--lr 0.001] [--only singer,synergraph] [--markdown]
 *
 * Prints one line per configuration as it finishes, then a markdown table.
 */
import { train } from '../lib/train/trainer';
import { syntheticDataset, type SyntheticPreset } from '../lib/data/synthetic';
import { modelNames } from '../lib/models';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** [label, model, config]: each full model, then one line per ablation switch (spec names). */
const RUNS: Array<[string, string, Record<string, unknown>]> = [
  ['BPR-MF', 'bpr-mf', {}],
  ['LightGCN', 'lightgcn', {}],
  ['MGCN', 'mgcn', {}],
  ['SMORE', 'smore', {}],
  ['GUME', 'gume', {}],
  ['SynerGraph', 'synergraph', {}],
  ['SynerGraph w/o purifier', 'synergraph', { use_purifier: false }],
  ['SynerGraph w/o circle loss (InfoNCE)', 'synergraph', { aux_loss: 'infonce' }],
  ['SynerGraph w/o auxiliary task', 'synergraph', { aux_loss: 'none' }],
  ['SynerGraph w/o top-K item graph', 'synergraph', { use_item_graph: false }],
  ['SINGER', 'singer', {}],
  ['SINGER w/o collaborative signal (β=0)', 'singer', { eisg_beta: 0 }],
  ['SINGER w/o perturbation', 'singer', { lambda_p: 0 }],
  ['SINGER w/o anchor InfoNCE', 'singer', { lambda_a: 0 }],
  ['SINGER w/o standard InfoNCE', 'singer', { lambda_c: 0 }],
];

const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return { m, sd };
};
const fmt = (xs: number[], digits: number) => {
  const { m, sd } = stats(xs);
  return `${m.toFixed(digits)} ± ${sd.toFixed(digits)}`;
};

function main(): void {
  const preset = arg('preset', 'small') as SyntheticPreset;
  const seeds = arg('seeds', '1,2,3').split(',').map(Number);
  const epochs = Number(arg('epochs', '100'));
  const patience = Number(arg('patience', '10'));
  const lr = Number(arg('lr', '0.001'));
  const only = arg('only', '').split(',').filter(Boolean);
  const ds = syntheticDataset(preset);
  const known = new Set(modelNames());
  const rows: string[] = [];
  console.log(`preset ${preset}, seeds ${seeds.join(',')}, up to ${epochs} epochs, patience ${patience}, lr ${lr}`);
  for (const [label, model, cfg] of RUNS) {
    if (!known.has(model) || (only.length && !only.includes(model))) continue;
    const r20: number[] = [], n20: number[] = [], stop: number[] = [], sec: number[] = [];
    for (const seed of seeds) {
      const res = train(ds, model, cfg, { epochs, stoppingStep: patience, lr, seed, topk: [10, 20] });
      r20.push(res.bestTest!.unrounded['recall@20']);
      n20.push(res.bestTest!.unrounded['ndcg@20']);
      stop.push(res.history.length);
      sec.push(res.history.reduce((a, h) => a + h.trainSec, 0) / res.history.length);
      res.model.dispose();
    }
    const row = `| ${label} | ${fmt(r20, 4)} | ${fmt(n20, 4)} | ${fmt(stop, 1)} | ${fmt(sec, 2)} |`;
    console.log(row);
    rows.push(row);
  }
  console.log('\n| model | test Recall@20 | test NDCG@20 | epochs run (early stop) | s / epoch |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main();
