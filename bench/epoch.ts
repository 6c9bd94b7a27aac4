/**
 * Times one training step (forward + loss, backward, Adam) of SMORE and of LightGCN on the
 * synthetic 'baby' preset (19,445 users × 7,050 items, 4096-d image / 384-d text features; the
 * sizes of spec/cost.md), in float32 with batch 2048, as the trainer runs it. Graph construction
 * (user–item graph, the two kNN graphs, the fusion graph) is timed separately: it happens once.
 *
 *   npx tsc -p . && node dist/bench/epoch.js [--steps 5] [--dtype float32|float64] [--model smore|lightgcn|both]
 *   MMGRAPH_PROFILE=1 node dist/bench/epoch.js      # adds a per-op time breakdown (lib/ops/run.ts)
 *
 * Reports the median over the timed steps after one warm-up step (first-touch allocation and the
 * caching allocator's growth are not part of the steady state).
 */
import * as os from 'os';
import { backward } from '../lib/autograd/tape';
import { tidy } from '../lib/autograd/scope';
import { syntheticDataset } from '../lib/data/synthetic';
import { TrainSampler } from '../lib/data/sampler';
import { Prng } from '../lib/data/prng';
import { knnGraph } from '../lib/graph/knn_graph';
import { maxPoolFusion } from '../lib/graph/max_pool_fusion';
import { userItemGraph } from '../lib/graph/user_item_graph';
import { LightGCN } from '../lib/models/lightgcn';
import type { Batch, Model, ModelContext } from '../lib/models/model';
import { SMORE_DEFAULTS, Smore, type SmoreGraphs } from '../lib/models/smore';
import { opProfileEnabled, takeOpProfile } from '../lib/ops/run';
import { Adam } from '../lib/optim/adam';
import { tensor, type DType } from '../lib/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const steps = Number(arg('steps', '5'));
const dtype = arg('dtype', 'float32') as DType;
const which = arg('model', 'both');

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, ms(t0)];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => x.toFixed(1).padStart(9);

interface StepTimes {
  forward: number;
  backward: number;
  adam: number;
  total: number;
  /** Process CPU time (user + system, all threads) of the step: robust when other jobs share the cores. */
  cpu: number;
}

/** One trainer-style step; the forward/loss and backward are timed apart (both inside one tidy). */
function step(model: Model, adam: Adam, b: { users: Int32Array; pos: Int32Array; neg: Int32Array }, rng: Prng): StepTimes {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let forward = 0;
  let back = 0;
  tidy(() => {
    const batch: Batch = {
      users: tensor(b.users, [b.users.length], { dtype: 'int32' }),
      pos: tensor(b.pos, [b.pos.length], { dtype: 'int32' }),
      neg: tensor(b.neg, [b.neg.length], { dtype: 'int32' }),
      size: b.users.length,
    };
    const [res, f] = time(() => model.loss(batch, rng));
    forward = f;
    [, back] = time(() => backward(res.total));
    res.total.item();
  });
  const [, a] = time(() => {
    adam.step();
    adam.zeroGrad();
  });
  const c = process.cpuUsage(c0);
  return { forward, backward: back, adam: a, total: ms(t0), cpu: (c.user + c.system) / 1000 };
}

function benchModel(label: string, model: Model, sampler: TrainSampler): void {
  const adam = new Adam([...model.parameters().values()], { lr: 0.001 });
  const rng = new Prng(999, 'dropout');
  step(model, adam, sampler.nextBatch(), rng); // warm-up
  takeOpProfile();
  const runs: StepTimes[] = [];
  for (let s = 0; s < steps; s++) runs.push(step(model, adam, sampler.nextBatch(), rng));
  const prof = takeOpProfile();
  const m = (k: keyof StepTimes) => median(runs.map((r) => r[k]));
  console.log(`\n${label}: one training step, median of ${steps} (ms)`);
  console.log(`  forward+loss ${fmt(m('forward'))}\n  backward     ${fmt(m('backward'))}\n  adam         ${fmt(m('adam'))}\n  total        ${fmt(m('total'))}   (min ${Math.min(...runs.map((r) => r.total)).toFixed(1)})\n  CPU time     ${fmt(m('cpu'))}   (all threads)`);
  console.log(`  (all steps: ${runs.map((r) => r.total.toFixed(0)).join(', ')})`);
  if (opProfileEnabled() && prof.length) {
    const total = prof.reduce((s, [, e]) => s + e.ms, 0);
    console.log(`  per op, per step (MMGRAPH_PROFILE=1; ops sum to ${(total / steps).toFixed(1)} ms/step):`);
    for (const [op, e] of prof.slice(0, 20))
      console.log(`    ${op.padEnd(30)} ${fmt(e.ms / steps)} ms ${(100 * e.ms / total).toFixed(1).padStart(5)}%  ${(e.calls / steps).toFixed(0).padStart(4)} calls`);
  }
  adam.dispose();
}

function main(): void {
  console.log(`mmgraph bench/epoch: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}, dtype ${dtype}, steps ${steps}`);
  const [ds, tData] = time(() => syntheticDataset('baby'));
  console.log(`synthetic 'baby': ${ds.nUsers} users × ${ds.nItems} items, ${ds.train.users.length} train rows (${tData.toFixed(0)} ms to generate)`);
  const sampler = new TrainSampler(ds, { seed: 999, batchSize: 2048 });
  const data = { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features };
  const ctx: ModelContext = { data, dtype, device: 'cpu', rng: new Prng(999, 'init'), trainBatchSize: 2048 };
  const gd = dtype as 'float32' | 'float64';

  if (which === 'smore' || which === 'both') {
    // Graph construction, piece by piece (what the Smore constructor does when no graphs are given).
    const feat = (name: string) => {
      const f = ds.features.get(name)!;
      return tensor(dtype === 'float64' ? Float64Array.from(f.data) : f.data, [ds.nItems, f.dim]);
    };
    const [ui, tUi] = time(() => userItemGraph(ds.nUsers, ds.nItems, ds.train.users, ds.train.items, 'sym-sum', { dtype: gd }));
    const img = feat('image');
    const txt = feat('text');
    const [image, tImg] = time(() => knnGraph(img, SMORE_DEFAULTS.image_knn_k));
    const [text, tTxt] = time(() => knnGraph(txt, SMORE_DEFAULTS.text_knn_k));
    const [fusion, tFus] = time(() => maxPoolFusion(image, text));
    img.dispose();
    txt.dispose();
    const graphs: SmoreGraphs = { adj: ui.adj, R: ui.R, image, text, fusion };
    console.log('\nSMORE graph construction (ms, once per training run):');
    console.log(`  user-item Â, R̂  ${fmt(tUi)}   nnz ${ui.adj.nnz}, ${ui.R.nnz}`);
    console.log(`  image kNN k=${SMORE_DEFAULTS.image_knn_k}  ${fmt(tImg)}   nnz ${image.nnz}`);
    console.log(`  text kNN k=${SMORE_DEFAULTS.text_knn_k}   ${fmt(tTxt)}   nnz ${text.nnz}`);
    console.log(`  fusion max-pool  ${fmt(tFus)}   nnz ${fusion.nnz}`);
    takeOpProfile();
    // Baby's best config (spec/smore.md §5): n_ui_layers 4, n_layers 1, k 40/15, dropout 0.1.
    const [model, tInit] = time(() => new Smore({ ...SMORE_DEFAULTS }, ctx, graphs));
    console.log(`  parameters init  ${fmt(tInit)}`);
    benchModel(`SMORE (n_ui_layers ${SMORE_DEFAULTS.n_ui_layers}, dropout ${SMORE_DEFAULTS.dropout_rate}, B 2048)`, model, sampler);
    model.dispose();
  }

  if (which === 'lightgcn' || which === 'both') {
    const [model, tInit] = time(() => new LightGCN('lightgcn', { embedding_size: 64, n_layers: 2, reg_weight: 1e-4 }, ctx));
    console.log(`\nLightGCN construction (graph + init): ${tInit.toFixed(1)} ms`);
    benchModel('LightGCN (n_layers 2, B 2048)', model, sampler);
    model.dispose();
  }
}

main();
