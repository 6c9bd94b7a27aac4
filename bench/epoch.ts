/**
 * Times one training step (forward + loss, backward, Adam) of SMORE and GUME (and LightGCN with
 * --model all) on the synthetic 'baby' preset (19,445 users × 7,050 items, 4096-d image / 384-d
 * text features; the sizes of spec/cost.md), in float32 with batch 2048, as the trainer runs it,
 * at 2 threads and at 1 thread; then one evaluation split (eval-mode forward + full ranking of the
 * valid split), the spmm rate on the user–item graph, and the host memory breakdown.
 *
 *   npx tsc -p . && node dist/bench/epoch.js [--steps 5] [--steps1 3] [--model smore|gume|both|all]
 *   MMGRAPH_PROFILE=1 node dist/bench/epoch.js      # adds a per-op time breakdown (lib/ops/run.ts)
 *
 * Every time is also expressed as a ratio to one D1 GEMM ([7050×4096]·[4096×64] float32 through the
 * matmul op) timed in the same process, interleaved with the models' steps: on a shared machine
 * the ratios are far steadier than the times. The last three lines are the issue's targets:
 *   smore step / D1 gemm: R    gume step / D1 gemm: R    eval / D1 gemm: R
 * Thread count: MMGRAPH_NUM_THREADS (default: all logical CPUs); the bench sets 1 for its
 * 1-thread figures through the addon's setNumThreads and restores it.
 * Steps are medians over the timed steps (15 by default) after four warm-up steps: first-touch
 * allocation, the caching allocator's growth and V8's optimizing compiler (which takes the step's JS
 * a few calls to reach) are not part of the steady state a 58-step epoch runs in. With two warm-up
 * steps and five timed ones, the first timed steps ran 10–15% slower than the rest.
 * The evaluation is the median of five after two warm-up runs.
 */
import * as fs from 'fs';
import { backward } from '../lib/autograd/tape';
import { tidy } from '../lib/autograd/scope';
import { syntheticDataset } from '../lib/data/synthetic';
import { TrainSampler } from '../lib/data/sampler';
import { Prng } from '../lib/data/prng';
import { keep } from '../lib/autograd/scope';
import { noGrad } from '../lib/autograd/tape';
import { memoryStats } from '../lib/backends';
import { evaluateSplit } from '../lib/eval/evaluate_model';
import { modelFactory, type Batch, type Model, type ModelContext } from '../lib/models';
import { loadAddon } from '../lib/native/load';
import { randn } from '../lib/nn/init';
import { matmul } from '../lib/ops/matmul';
import { spmm } from '../lib/ops/spmm';
import type { CsrMatrix } from '../lib/sparse/csr';
import { machine } from './util';
import { opProfileEnabled, takeOpProfile } from '../lib/ops/run';
import { Adam } from '../lib/optim/adam';
import { tensor, type DType, type Tensor } from '../lib/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const steps = Number(arg('steps', '15'));
const WARMUP_STEPS = 4;
const steps1 = Number(arg('steps1', '3'));
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

function benchModel(label: string, model: Model, sampler: TrainSampler, nSteps: number, d1: () => number, d1s: number[]): StepTimes {
  const adam = new Adam([...model.parameters().values()], { lr: 0.001 });
  const rng = new Prng(999, 'dropout');
  for (let s = 0; s < WARMUP_STEPS; s++) step(model, adam, sampler.nextBatch(), rng); // allocator growth, Adam state, JIT
  takeOpProfile();
  const runs: StepTimes[] = [];
  for (let s = 0; s < nSteps; s++) {
    runs.push(step(model, adam, sampler.nextBatch(), rng));
    d1s.push(d1());
  }
  const prof = takeOpProfile();
  const m = (k: keyof StepTimes) => median(runs.map((r) => r[k]));
  console.log(`\n${label}: one training step, median of ${nSteps} (ms), ${loadAddon().numThreads()} thread(s)`);
  console.log(`  forward+loss ${fmt(m('forward'))}\n  backward     ${fmt(m('backward'))}\n  adam         ${fmt(m('adam'))}\n  total        ${fmt(m('total'))}   (min ${Math.min(...runs.map((r) => r.total)).toFixed(1)})\n  CPU time     ${fmt(m('cpu'))}   (all threads)`);
  console.log(`  (all steps: ${runs.map((r) => r.total.toFixed(0)).join(', ')})`);
  if (opProfileEnabled() && prof.length) {
    const total = prof.reduce((s, [, e]) => s + e.ms, 0);
    console.log(`  per op, per step (MMGRAPH_PROFILE=1; ops sum to ${(total / nSteps).toFixed(1)} ms/step):`);
    for (const [op, e] of prof.slice(0, process.env.MMGRAPH_PROFILE === 'shapes' ? 40 : 20))
      console.log(`    ${op.padEnd(process.env.MMGRAPH_PROFILE === 'shapes' ? 70 : 30)} ${fmt(e.ms / nSteps)} ms ${(100 * e.ms / total).toFixed(1).padStart(5)}%  ${(e.calls / nSteps).toFixed(0).padStart(4)} calls`);
  }
  adam.dispose();
  return { forward: m('forward'), backward: m('backward'), adam: m('adam'), total: m('total'), cpu: m('cpu') };
}

const MB = (b: number) => (b / 1e6).toFixed(1).padStart(8) + ' MB';

/** Peak resident set of this process so far (VmHWM), bytes; 0 where /proc is absent. */
function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Where the host memory is right now: native tensors (live / cached), JS buffers, the rest. */
function memoryLine(what: string): void {
  const mu = process.memoryUsage();
  const s = memoryStats();
  console.log(`  ${what.padEnd(34)} rss ${MB(mu.rss)}  native live ${MB(s.hostInUse)}  native cached ${MB(s.hostCached)}  JS buffers ${MB(mu.arrayBuffers)}  JS heap ${MB(mu.heapUsed)}`);
}

function tensorBytes(ts: Iterable<Tensor>): number {
  let b = 0;
  for (const t of ts) b += t.size * (t.dtype === 'float64' ? 8 : 4);
  return b;
}

function graphBytes(g: Record<string, CsrMatrix>): number {
  let b = 0;
  for (const m of Object.values(g)) b += (m.nRows + 1) * 4 + m.nnz * 8;
  return b;
}

function main(): void {
  console.log(`mmgraph bench/epoch: ${machine()}, node ${process.version}, dtype ${dtype}, steps ${steps} (2 threads) / ${steps1} (1 thread)`);
  const threads = loadAddon().numThreads();
  const [ds, tData] = time(() => syntheticDataset('baby'));
  console.log(`synthetic 'baby': ${ds.nUsers} users × ${ds.nItems} items, ${ds.train.users.length} train rows (${tData.toFixed(0)} ms to generate)`);
  console.log('\nhost memory (bytes now; JS buffers include the dataset\'s feature arrays):');
  memoryLine('after the dataset');
  const data = { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features };
  const ctx = (): ModelContext => ({ data, dtype, device: 'cpu', rng: new Prng(999, 'init'), trainBatchSize: 2048 });

  // D1: the image projection GEMM every ratio is measured against.
  const X = tidy(() => keep(randn([ds.nItems, 4096], new Prng(1, 'bench'), { dtype })));
  const W = tidy(() => keep(randn([4096, 64], new Prng(2, 'bench'), { dtype })));
  const d1 = (): number => {
    const [y, t] = time(() => matmul(X, W));
    y.dispose();
    return t;
  };
  for (let i = 0; i < 3; i++) d1();
  const d1s: number[] = [];
  for (let i = 0; i < 5; i++) d1s.push(d1());

  const results: Record<string, { t2: number; t1: number }> = {};
  let evalMs = 0;
  let spmmMs = 0;
  let spmmNnz = 0;
  const models = which === 'all' ? ['smore', 'gume', 'lightgcn'] : which === 'both' ? ['smore', 'gume'] : [which];
  for (const name of models) {
    const f = modelFactory(name);
    const cfg = name === 'lightgcn' ? { embedding_size: 64, n_layers: 2, reg_weight: 1e-4 } : {};
    const [model, tInit] = time(() => f.create(cfg, ctx()));
    console.log(`\n${name}: construction (graphs + parameters) ${tInit.toFixed(0)} ms`);
    const params = model.parameters();
    const graphs = (model as unknown as { graphs?: Record<string, CsrMatrix> }).graphs;
    console.log(`  parameters ${MB(tensorBytes(params.values()))} (+ the same for grads, 2× for Adam m and v)${graphs ? `, graphs ${MB(graphBytes(graphs))}` : ''}`);
    memoryLine(`${name} built`);
    const sampler = new TrainSampler(ds, { seed: 999, batchSize: 2048 });
    const two = benchModel(`${name}`, model, sampler, steps, d1, d1s);
    memoryLine(`${name} after ${steps + WARMUP_STEPS} steps`);
    let one = { total: NaN };
    if (steps1 > 0) {
      loadAddon().setNumThreads(1);
      one = benchModel(`${name}`, model, sampler, steps1, () => 0, []);
      loadAddon().setNumThreads(threads);
    }
    results[name] = { t2: two.total, t1: one.total };
    if (name === 'smore') {
      // spmm on the Baby user–item graph Â at d = 64: the same product LightGCN's layers run.
      const adj = (model as unknown as { graphs: { adj: CsrMatrix } }).graphs.adj;
      const Z = tidy(() => keep(randn([adj.nCols, 64], new Prng(3, 'bench'), { dtype })));
      const ts: number[] = [];
      // A 0.5 ms op on a shared machine: the median of 50 (after 5 warm-up calls), where 10 swung by 1.7×.
      for (let i = 0; i < 55; i++) {
        const [y, t] = time(() => noGrad(() => spmm(adj, Z)));
        y.dispose();
        if (i >= 5) ts.push(t);
      }
      Z.dispose();
      spmmMs = median(ts);
      spmmNnz = adj.nnz;
      d1s.push(d1());
    }
    if (name !== 'lightgcn') {
      // One evaluation split as the trainer runs it: eval-mode forward, then full ranking of the valid users.
      const parts = { forward: [] as number[], ranking: [] as number[] };
      const evalOnce = () => {
        const [emb, tf] = time(() => noGrad(() => tidy(() => {
          const e = model.embeddings();
          return { users: keep(e.users), items: keep(e.items) };
        })));
        const [, tr] = time(() => evaluateSplit(ds, 'valid', emb.users, emb.items));
        parts.forward.push(tf);
        parts.ranking.push(tr);
        emb.users.dispose();
        emb.items.dispose();
      };
      evalOnce();
      evalOnce();
      parts.forward.length = parts.ranking.length = 0;
      const te: number[] = [];
      for (let i = 0; i < 5; i++) {
        te.push(time(evalOnce)[1]);
        d1s.push(d1());
      }
      const e = median(te);
      console.log(`  eval (valid split: forward + ranking of all users): ${e.toFixed(1)} ms (all: ${te.map((x) => x.toFixed(0)).join(', ')}; ` +
        `medians: eval-mode forward ${median(parts.forward).toFixed(1)} ms, ranking + metrics ${median(parts.ranking).toFixed(1)} ms)`);
      if (name === 'smore') evalMs = e;
    }
    model.dispose();
    memoryLine(`${name} disposed`);
  }
  X.dispose();
  W.dispose();

  const g = median(d1s);
  const d1Gflops = (2 * ds.nItems * 4096 * 64) / g / 1e6;
  console.log(`\nD1 GEMM [${ds.nItems}×4096]·[4096×64] (matmul op): median ${g.toFixed(2)} ms over ${d1s.length} runs = ${d1Gflops.toFixed(1)} GFLOP/s (all: ${d1s.map((x) => x.toFixed(1)).join(', ')})`);
  if (spmmMs > 0) {
    const gf = (2 * spmmNnz * 64) / spmmMs / 1e6;
    console.log(`spmm Â·Z (nnz ${spmmNnz}, d 64): ${spmmMs.toFixed(2)} ms = ${gf.toFixed(1)} GFLOP/s; spmm / D1 GFLOP/s: ${(gf / d1Gflops).toFixed(3)}`);
  }
  for (const [name, r] of Object.entries(results))
    console.log(`${name} step: ${r.t2.toFixed(1)} ms at ${threads} threads, ${r.t1.toFixed(1)} ms at 1 thread (speed-up ${(r.t1 / r.t2).toFixed(2)})`);
  console.log(`peak RSS of this process ${MB(peakRss())} (it holds the dataset and one model at a time; 'mmgraph train' peak: bench/RESULTS.md)`);
  if (results.smore) console.log(`smore step / D1 gemm: ${(results.smore.t2 / g).toFixed(2)}`);
  if (results.gume) console.log(`gume step / D1 gemm: ${(results.gume.t2 / g).toFixed(2)}`);
  if (evalMs > 0) console.log(`eval / D1 gemm: ${(evalMs / g).toFixed(2)}`);
}

main();
