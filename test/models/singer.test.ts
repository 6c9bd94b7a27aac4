/**
 * SINGER (lib/models/singer.ts): set to MGCN's choices it reproduces fixtures/mgcn; its EISG with
 * β = 0 is exactly MGCN's kNN graph and with β > 0 the convex mix with the co-occurrence graph;
 * float64 losses and gradients are finite and match central differences; every ablation and option
 * trains one epoch; configuration errors name the key.
 */
import { backward, noGrad } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Prng } from '../../lib/data/prng';
import { syntheticDataset } from '../../lib/data/synthetic';
import { cooccurrenceGraph } from '../../lib/graph/cooccurrence_graph';
import { modelNames } from '../../lib/models';
import { Mgcn } from '../../lib/models/mgcn';
import { Singer } from '../../lib/models/singer';
import { train } from '../../lib/train/trainer';
import { expectClose } from '../harness/compare';
import { json, npyNumbers } from '../harness/fixtures';
import { MGCN_TOL, describeMgcnFixture, tinyBatch, tinyContext } from '../harness/mgcn_fixture';

const cfg = json<Record<string, number>>('mgcn', 'config.json');
const losses = json<Record<string, number>>('mgcn', 'losses.json');
const SHAPE = { embedding_size: cfg.embedding_size, n_ui_layers: cfg.n_ui_layers, n_mm_layers: cfg.n_layers, knn_k: cfg.knn_k, reg_weight: cfg.reg_weight };
/** MGCN's choices: its fuser, no collaborative graph, purified input, its InfoNCE on the raw batch. */
const AS_MGCN = {
  ...SHAPE, fuser: 'mgcn', eisg_beta: 0, semantic_input: 'purified', freeze_features: false,
  use_pert: false, use_anchor: false, use_infonce: true, lambda_c: cfg.cl_loss, tau_c: cfg.temperature, dedup_cl_batch: false,
};

describeMgcnFixture('SINGER set to MGCN', (dtype) => new Singer(AS_MGCN, tinyContext(dtype)), { nce_items: 'bs_items', nce_users: 'bs_users', cl: 'bs' });

function loadMgcnParams(model: Singer, dtype: 'float32' | 'float64'): void {
  for (const [name, p] of model.parameters()) {
    const v = npyNumbers('mgcn', `${name}.npy`);
    p.write(dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v));
  }
}

describe.each(['float64', 'float32'] as const)('SINGER with every SINGER loss off is MGCN without its InfoNCE (%s)', (dtype) => {
  test('eval embeddings and bpr + reg match fixtures/mgcn', () => {
    const tol = MGCN_TOL[dtype];
    const model = new Singer({ ...AS_MGCN, use_infonce: false }, tinyContext(dtype));
    loadMgcnParams(model, dtype);
    const batch = tinyBatch();
    try {
      tidy(() => {
        noGrad(() => {
          const e = model.embeddings();
          expectClose(e.users, npyNumbers('mgcn', 'eval.user_emb.npy'), tol.fwd, 'eval.user_emb');
          expectClose(e.items, npyNumbers('mgcn', 'eval.item_emb.npy'), tol.fwd, 'eval.item_emb');
        });
        const res = model.loss(batch, new Prng(7, 'train'));
        expect(Object.keys(res.parts).sort()).toEqual(['bpr', 'reg']);
        const want = losses.bpr + losses.reg;
        expect(Math.abs(res.total.item() - want) / want).toBeLessThanOrEqual(tol.loss);
      });
    } finally {
      for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
      model.dispose();
    }
  });
});

describe('SINGER item graphs (EISG)', () => {
  const arrays = (m: { toArrays(): { indptr: Int32Array; indices: Int32Array; values: Float32Array | Float64Array } }) => {
    const a = m.toArrays();
    return { indptr: Array.from(a.indptr), indices: Array.from(a.indices), values: Array.from(a.values) };
  };

  test.each([{ eisg_beta: 0 }, { use_collab: false }, { use_collab: false, eisg_renorm: true }])('%j gives exactly the MGCN kNN graphs', (given) => {
    const mgcn = new Mgcn({ knn_k: 10 }, tinyContext('float64'));
    const singer = new Singer({ knn_k: 10, ...given }, tinyContext('float64'));
    try {
      expect(arrays(singer.graphs.image)).toEqual(arrays(mgcn.graphs.image!));
      expect(arrays(singer.graphs.text)).toEqual(arrays(mgcn.graphs.text!));
    } finally {
      mgcn.dispose();
      singer.dispose();
    }
  });

  test('β = 0.3 mixes (1 − β)·kNN + β·co-occurrence, for both modalities', () => {
    const ctx = tinyContext('float64');
    const mgcn = new Mgcn({ knn_k: 10 }, ctx);
    const singer = new Singer({ knn_k: 10, eisg_beta: 0.3, co_knn_k: 5, co_graph: 'count' }, ctx);
    const co = cooccurrenceGraph(ctx.data.nUsers, ctx.data.nItems, ctx.data.trainUsers, ctx.data.trainItems, 5, { mode: 'count', dtype: 'float64' });
    try {
      const c = co.toDense().toArray();
      expect(c.some((v) => v > 0)).toBe(true);
      for (const m of ['image', 'text'] as const) {
        const k = mgcn.graphs[m]!.toDense().toArray();
        const want = k.map((v, i) => 0.7 * v + 0.3 * c[i]);
        expectClose(singer.graphs[m].toDense(), want, 1e-14, `EISG ${m}`);
      }
    } finally {
      co.dispose();
      mgcn.dispose();
      singer.dispose();
    }
  });

  test('knn_weighted false binarizes: k entries per row, each 1/k', () => {
    const singer = new Singer({ knn_k: 10, knn_weighted: false, use_collab: false }, tinyContext('float64'));
    try {
      const a = singer.graphs.image.toArrays();
      for (let r = 0; r + 1 < a.indptr.length; r++) expect(a.indptr[r + 1] - a.indptr[r]).toBe(10);
      for (const v of a.values) expect(v).toBeCloseTo(0.1, 15);
    } finally {
      singer.dispose();
    }
  });
});

/** Variants whose every registered parameter takes part in the loss. */
const VARIANTS: Record<string, Record<string, unknown>> = {
  default: {},
  'mgcn fuser, projected input': { fuser: 'mgcn', semantic_input: 'projected' },
  'id input, frozen features': { semantic_input: 'id', freeze_features: true },
  'fused perturbation, inverse': { pert_on: 'fused', pert_mode: 'inverse' },
  'mean_scaled, sum anchor with stop-grad, no dedup': { pert_mode: 'mean_scaled', anchor_form: 'sum', anchor_stopgrad: true, dedup_cl_batch: false },
  'two semantic layers, two_hop renormalized': { n_mm_layers: 2, co_graph: 'two_hop', eisg_renorm: true },
};

describe('SINGER float64 losses and gradients', () => {
  test.each(Object.entries(VARIANTS))('%s: finite loss, every parameter gets a finite, non-zero gradient', (_, given) => {
    const model = new Singer(given, tinyContext('float64'));
    const batch = tinyBatch();
    try {
      tidy(() => {
        const res = model.loss(batch, new Prng(11, 'train'));
        for (const [k, t] of Object.entries(res.parts)) expect([k, Number.isFinite(t.item())]).toEqual([k, true]);
        expect(Number.isFinite(res.total.item())).toBe(true);
        backward(res.total);
      });
      for (const [name, p] of model.parameters()) {
        const g = p.grad!.toArray();
        expect([name, g.every(Number.isFinite), g.some((v) => v !== 0)]).toEqual([name, true, true]);
      }
    } finally {
      for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
      model.dispose();
    }
  });

  test('the loss parts are those switched on; the perturbation draws from the Prng it is given', () => {
    const model = new Singer({}, tinyContext('float64'));
    const batch = tinyBatch();
    try {
      tidy(() => {
        const a = model.loss(batch, new Prng(5, 'train'));
        const b = model.loss(batch, new Prng(5, 'train'));
        const c = model.loss(batch, new Prng(6, 'train'));
        expect(Object.keys(a.parts).sort()).toEqual(['anchor', 'bpr', 'bs', 'bs_items', 'bs_users', 'pcl', 'reg']);
        expect(b.parts.pcl.item()).toBe(a.parts.pcl.item());
        expect(c.parts.pcl.item()).not.toBe(a.parts.pcl.item());
        expect(c.parts.anchor.item()).toBe(a.parts.anchor.item());
      });
    } finally {
      for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
      model.dispose();
    }
  });

  test('without the perturbation (its noise norm is detached) the gradient matches central differences', () => {
    const model = new Singer({ use_pert: false, fuser: 'mgcn', eisg_beta: 0.4 }, tinyContext('float64'));
    const batch = tinyBatch();
    const rng = new Prng(3, 'dir');
    const params = [...model.parameters().values()];
    const dirs = params.map((p) => Float64Array.from({ length: p.size }, () => 2 * rng.uniform() - 1));
    const base = params.map((p) => Float64Array.from(p.toArray()));
    const lossAt = (t: number) => {
      params.forEach((p, q) => p.write(base[q].map((v, i) => v + t * dirs[q][i])));
      return tidy(() => noGrad(() => model.loss(batch, new Prng(1, 'train')).total.item()));
    };
    try {
      const h = 1e-6;
      const numeric = (lossAt(h) - lossAt(-h)) / (2 * h);
      params.forEach((p, q) => p.write(base[q]));
      tidy(() => backward(model.loss(batch, new Prng(1, 'train')).total));
      let analytic = 0;
      params.forEach((p, q) => p.grad!.toArray().forEach((g, i) => (analytic += g * dirs[q][i])));
      expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(1e-6 * Math.abs(analytic) + 1e-9);
    } finally {
      for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
      model.dispose();
    }
  });
});

describe('SINGER trains one epoch on synthetic tiny', () => {
  const ds = syntheticDataset('tiny');
  const CONFIGS: Record<string, unknown>[] = [
    {}, { use_collab: false }, { eisg_beta: 0 }, { use_pert: false }, { use_anchor: false }, { use_infonce: false },
    { use_collab: false, use_pert: false, use_anchor: false, use_infonce: false },
    { co_graph: 'count', eisg_beta: 1 }, { co_graph: 'two_hop', eisg_renorm: true }, { knn_weighted: false },
    { semantic_input: 'projected' }, { semantic_input: 'id' }, { fuser: 'mgcn' }, { freeze_features: true },
    { pert_mode: 'mean_scaled' }, { pert_mode: 'inverse', pert_on: 'fused' }, { anchor_form: 'sum', anchor_stopgrad: true },
    { anchor_stopgrad: true }, { dedup_cl_batch: false }, { n_mm_layers: 0 }, { n_mm_layers: 2, n_ui_layers: 0 },
  ];
  test.each(CONFIGS)('%j', (given) => {
    const r = train(ds, 'singer', given, { epochs: 1, batchSize: 64, topk: [5, 10, 20], seed: 3 });
    try {
      expect(Number.isFinite(r.history[0].loss.total)).toBe(true);
      expect(r.history[0].valid!.unrounded['recall@20']).toBeGreaterThanOrEqual(0);
    } finally {
      r.model.dispose();
      r.best.users.dispose();
      r.best.items.dispose();
    }
  });
});

describe('SINGER configuration', () => {
  test('is registered', () => {
    expect(modelNames()).toContain('singer');
  });
  test.each([
    [{ eisg_beta: 1.5 }, /^singer: expected eisg_beta to be a number in \[0, 1\], got 1\.5/],
    [{ co_graph: 'jaccard' }, /^singer: expected co_graph to be one of 'cosine', 'count', 'two_hop', got "jaccard"/],
    [{ pert_mode: 'abs' }, /^singer: expected pert_mode to be one of 'ratio', 'mean_scaled', 'inverse', got "abs"/],
    [{ use_pert: 'yes' }, /^singer: expected use_pert to be true or false, got "yes"/],
    [{ tau_a: 0 }, /^singer: expected tau_a to be a number in \[0\.000001, 1000\], got 0/],
    [{ knn_k: 41 }, /^singer: expected a kNN k of at most the number of items \(40\), got 41/],
    [{ beta: 0.5 }, /^singer: unknown hyper-parameter 'beta'/],
  ])('%j is refused', (given, msg) => {
    expect(() => new Singer(given as Record<string, unknown>, tinyContext('float64'))).toThrow(msg);
  });
  test('missing item features are named', () => {
    const ctx = tinyContext('float64');
    const data = { ...ctx.data, features: new Map([...ctx.data.features].filter(([k]) => k !== 'text')) };
    expect(() => new Singer({}, { ...ctx, data })).toThrow(/^singer: expected 'text' item features \(have: image\)/);
  });
});
