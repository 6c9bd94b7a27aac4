/**
 * SynerGraph (spec/synergraph.md): set to MGCN's choices it reproduces fixtures/mgcn; its circle-loss
 * auxiliary task equals the spec's formula computed naively; every ablation switch changes the
 * model the way the spec says and trains; bad configs are refused.
 */
import { backward, noGrad } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Synergraph } from '../../lib/models/synergraph';
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import { json, npyNumbers } from '../harness/fixtures';
import { describeMgcnFixture, tinyBatch, tinyContext } from '../harness/mgcn_fixture';

const cfg = json<Record<string, number>>('mgcn', 'config.json');
const MGCN_CHOICES = {
  n_ui_layers: cfg.n_ui_layers, n_layers: cfg.n_layers, knn_k: cfg.knn_k, reg_weight: cfg.reg_weight, cl_loss: cfg.cl_loss,
  aux_loss: 'infonce', dedup_aux_batch: false,
};

describeMgcnFixture('SynerGraph with MGCN choices', (dtype) => new Synergraph(MGCN_CHOICES, tinyContext(dtype)));

/** The spec's circle loss, literally: log[1 + Σ_{j≠i} exp(γα_n(s_n − m)) · exp(−γα_p(s_p − 1 + m))], mean over i. */
function naiveCircle(a: number[][], b: number[][], m: number, gamma: number): number {
  const nrm = (v: number[]) => {
    const s = Math.max(Math.sqrt(v.reduce((x, y) => x + y * y, 0)), 1e-12);
    return v.map((x) => x / s);
  };
  const A = a.map(nrm), B = b.map(nrm);
  const dot = (x: number[], y: number[]) => x.reduce((s, v, k) => s + v * y[k], 0);
  let total = 0;
  for (let i = 0; i < A.length; i++) {
    const sp = dot(A[i], B[i]);
    const ap = Math.max(0, 1 + m - sp);
    let neg = 0;
    for (let j = 0; j < A.length; j++) {
      if (j === i) continue;
      const sn = dot(A[i], B[j]);
      neg += Math.exp(gamma * Math.max(0, sn + m) * (sn - m));
    }
    total += Math.log(1 + neg * Math.exp(-gamma * ap * (sp - 1 + m)));
  }
  return total / A.length;
}

const rowsOf = (flat: ArrayLike<number>, d: number, ids: number[]) => ids.map((r) => Array.from({ length: d }, (_, k) => flat[r * d + k]));

describe('SynerGraph circle-loss auxiliary task', () => {
  const gamma = 4; // small enough that the naive exp cannot overflow
  const model = new Synergraph({ ...MGCN_CHOICES, aux_loss: 'circle', dedup_aux_batch: true, circle_gamma: gamma }, tinyContext('float64'));
  for (const [name, p] of model.parameters()) p.write(Float64Array.from(npyNumbers('mgcn', `${name}.npy`)));
  const batch = tinyBatch();
  afterAll(() => model.dispose());

  test('users and items terms equal the spec formula on the de-duplicated batch', () => {
    tidy(() =>
      noGrad(() => {
        const res = model.loss(batch);
        const f = model.forward(null);
        const side = f.side.toArray(), Z = f.Z.toArray();
        const U = 60;
        const users = [...new Set(Array.from(batch.users.toArray()))];
        const pos = [...new Set(Array.from(batch.pos.toArray()))].map((i) => U + i);
        const wantU = naiveCircle(rowsOf(side, 64, users), rowsOf(Z, 64, users), 0.25, gamma);
        const wantI = naiveCircle(rowsOf(side, 64, pos), rowsOf(Z, 64, pos), 0.25, gamma);
        expect(res.parts.aux_users.item()).toBeCloseTo(wantU, 10);
        expect(res.parts.aux_items.item()).toBeCloseTo(wantI, 10);
        // The fixture's BPR and regularizer do not depend on the auxiliary task.
        const losses = json<Record<string, number>>('mgcn', 'losses.json');
        expect(res.parts.bpr.item()).toBeCloseTo(losses.bpr, 12);
      }),
    );
  });

  test('every parameter gets a finite, non-zero gradient', () => {
    tidy(() => backward(model.loss(batch).total));
    for (const [name, p] of model.parameters()) {
      const g = p.grad!.toArray();
      expect(g.every(Number.isFinite)).toBe(true);
      if (!g.some((v) => v !== 0)) throw new Error(`${name}: all-zero gradient`);
    }
  });
});

describe('SynerGraph ablation switches', () => {
  const names = (c: Record<string, unknown>) => {
    const m = new Synergraph(c, tinyContext('float64'));
    const out = { params: [...m.parameters().keys()], graphs: Object.keys(m.graphs).filter((k) => (m.graphs as unknown as Record<string, unknown>)[k]) };
    m.dispose();
    return out;
  };
  test('w/o purifier: no ID gates', () => {
    const n = names({ use_purifier: false });
    expect(n.params).not.toContain('gate_v.0.weight');
    expect(n.params).not.toContain('gate_t.0.weight');
    expect(names({}).params).toContain('gate_v.0.weight');
  });
  test('w/o top-K item graph: no kNN graphs are built', () => {
    expect(names({ use_item_graph: false }).graphs.sort()).toEqual(['R', 'adj']);
    expect(names({}).graphs.sort()).toEqual(['R', 'adj', 'image', 'text']);
  });
  test('single modality: only that modality’s parameters', () => {
    const n = names({ modalities: 'text' });
    expect(n.params.filter((p) => p.startsWith('image'))).toEqual([]);
    expect(n.params).toContain('text_trs.weight');
  });
  test('frozen features are not parameters', () => {
    expect(names({ freeze_features: true }).params).not.toContain('image_embedding.weight');
  });
  test('per-dataset top-K from the summary (Baby 35, Sports 30, Clothing 30)', () => {
    const { SYNERGRAPH_SCHEMA } = require('../../lib/models/synergraph');
    expect(SYNERGRAPH_SCHEMA.knn_k.datasets).toEqual({ baby: 35, sports: 30, clothing: 30 });
  });

  const ds = syntheticDataset('tiny');
  test.each([
    [{}],
    [{ use_purifier: false }],
    [{ use_item_graph: false }],
    [{ aux_loss: 'infonce' }],
    [{ aux_loss: 'none' }],
    [{ aux_target: 'purifier' }],
    [{ modalities: 'image' }],
  ])('%j trains an epoch', (c) => {
    const r = train(ds, 'synergraph', c, { epochs: 1, batchSize: 64, topk: [10, 20], seed: 5 });
    expect(Number.isFinite(r.history[0].loss.total)).toBe(true);
    expect(r.history[0].valid!.unrounded['recall@20']).toBeGreaterThanOrEqual(0);
    r.model.dispose();
  });
});

describe('SynerGraph configuration errors', () => {
  test.each([
    [{ aux_loss: 'circles' }, /^synergraph: expected aux_loss to be one of 'circle', 'infonce', 'none', got "circles"/],
    [{ circle_margin: 2 }, /^synergraph: expected circle_margin to be a number in \[0, 1\], got 2/],
    [{ aux_target: 'purifier', aux_loss: 'none' }, /^synergraph: expected aux_loss 'circle' or 'infonce' with aux_target 'purifier'/],
    [{ modalities: 'audio' }, /^synergraph: expected modalities to be one of/],
    [{ knn: 3 }, /^synergraph: unknown hyper-parameter 'knn'/],
  ])('%j is refused', (c, msg) => {
    expect(() => new Synergraph(c, tinyContext('float64'))).toThrow(msg);
  });
});
