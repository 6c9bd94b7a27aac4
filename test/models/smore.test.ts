/**
 * SMORE against the official code (fixtures/smore): the five constant graphs, the forward
 * intermediates (P, C, Z, S_side), the eval embeddings and scores, every loss part, every gradient
 * and one Adam step. Run twice: float64 (the fixtures' own precision, tight tolerances) and float32
 * (fixtures/README.md "Tolerances for a float32 implementation").
 */
import * as path from 'path';
import { backward, matmul, noGrad, tensor, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Adam } from '../../lib/optim/adam';
import { Smore } from '../../lib/models/smore';
import { readMmrec } from '../../lib/data/mmrec';
import { Prng } from '../../lib/data/prng';
import { expectClose, scaledError } from '../harness/compare';
import { fixturesDir, json, npy, npyNumbers } from '../harness/fixtures';
import { expectSameEntries, loadTriplets } from '../graph/fixture_graph';

interface Tolerances {
  graph: number; // element-wise relative
  fwd: number; // per-tensor scaled
  loss: number; // relative
  grad: number; // max|Δ| ≤ grad · max|ref| + 1e-11
  step: number; // absolute
}

const TOL: Record<'float64' | 'float32', Tolerances> = {
  float64: { graph: 1e-12, fwd: 1e-10, loss: 1e-10, grad: 1e-9, step: 1e-9 },
  float32: { graph: 1e-6, fwd: 1e-5, loss: 1e-5, grad: 1e-4, step: 2e-5 },
};

const fx = (name: string) => npyNumbers('smore', name);

describe.each(['float64', 'float32'] as const)('SMORE reproduces the official fixtures (%s)', (dtype) => {
  const tol = TOL[dtype];
  const ds = readMmrec(path.join(fixturesDir, 'tiny'));
  const cfg = json<Record<string, unknown>>('smore', 'config.json');
  const losses = json<Record<string, number>>('smore', 'losses.json');
  const model = new Smore(
    {
      embedding_size: cfg.embedding_size,
      n_ui_layers: cfg.n_ui_layers,
      n_layers: cfg.n_layers,
      image_knn_k: cfg.image_knn_k,
      text_knn_k: cfg.text_knn_k,
      reg_weight: cfg.reg_weight,
      cl_loss: cfg.cl_loss,
      dropout_rate: cfg.dropout_rate,
    },
    {
      data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
      dtype,
      device: 'cpu',
      rng: new Prng(1, 'init'),
      trainBatchSize: cfg.train_batch_size as number,
    },
  );
  const params = model.parameters();
  const order = json<{ order: string[] }>('smore', 'params.json').order;
  // Complex weights are [1, 33, 2] in the files and [33, 2] in the model: same row-major data.
  for (const [name, p] of params) {
    const v = fx(`${name}.npy`);
    expect(v.length).toBe(p.size);
    p.write(dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v));
  }
  const batch = {
    users: tensor(npyNumbers('tiny', 'batch.users.npy'), undefined, { dtype: 'int32' }),
    pos: tensor(npyNumbers('tiny', 'batch.pos.npy'), undefined, { dtype: 'int32' }),
    neg: tensor(npyNumbers('tiny', 'batch.neg.npy'), undefined, { dtype: 'int32' }),
    size: npy('tiny', 'batch.users.npy').shape[0],
  };

  afterAll(() => {
    for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
    model.dispose();
  });

  test('the parameter set is the reference state_dict', () => {
    expect([...params.keys()].sort()).toEqual([...order].sort());
    for (const [, p] of params) expect(p.dtype).toBe(dtype);
  });

  test('the constant graphs match', () => {
    const g = model.graphs;
    const pairs: Array<[string, typeof g.adj]> = [
      ['norm_adj', g.adj],
      ['R', g.R],
      ['image_knn', g.image],
      ['text_knn', g.text],
      ['fusion', g.fusion],
    ];
    const shapes = json<Record<string, { shape: number[]; nnz: number }>>('smore', 'graphs.json');
    for (const [name, m] of pairs) {
      expect([m.nRows, m.nCols]).toEqual(shapes[name].shape);
      expect(m.nnz).toBe(shapes[name].nnz);
      expect(m.dtype).toBe(dtype);
      expectSameEntries(m, loadTriplets('smore', `graph.${name}`), tol.graph, `graph.${name}`);
    }
  });

  test('forward intermediates, eval embeddings and scores', () => {
    tidy(() =>
      noGrad(() => {
        const f = model.forward(null);
        const want: Array<[string, Tensor]> = [
          ['P_v', f.Pv],
          ['P_t', f.Pt],
          ['C_v', f.Cv],
          ['C_t', f.Ct],
          ['C_f', f.Cf],
          ['Z', f.Z],
          ['S_side', f.side],
        ];
        for (const [name, t] of want) expectClose(t, fx(`fwd.${name}.npy`), tol.fwd, `fwd.${name}`);
        const e = model.embeddings();
        expectClose(e.users, fx('eval.user_emb.npy'), tol.fwd, 'eval.user_emb');
        expectClose(e.items, fx('eval.item_emb.npy'), tol.fwd, 'eval.item_emb');
        expectClose(matmul(e.users, e.items, { transB: true }), fx('eval.scores.npy'), tol.fwd, 'eval.scores');
      }),
    );
  });

  test('losses, gradients and one Adam step', () => {
    tidy(() => {
      const res = model.loss(batch, new Prng(7, 'dropout'));
      const got: Record<string, number> = { total: res.total.item() };
      for (const [k, t] of Object.entries(res.parts)) got[k] = t.item();
      for (const key of ['bpr', 'reg', 'nce_items', 'nce_users', 'cl', 'total']) {
        const rel = Math.abs(got[key] - losses[key]) / Math.abs(losses[key]);
        if (!(rel <= tol.loss)) throw new Error(`loss ${key}: ${got[key]} vs ${losses[key]} (relative ${rel.toExponential(3)})`);
      }
      backward(res.total);
    });
    for (const [name, p] of params) {
      const want = fx(`grad.${name}.npy`);
      const g = p.grad!.toArray();
      let maxRef = 0;
      let maxDiff = 0;
      for (let i = 0; i < want.length; i++) {
        maxRef = Math.max(maxRef, Math.abs(want[i]));
        maxDiff = Math.max(maxDiff, Math.abs(g[i] - want[i]));
      }
      if (!(maxDiff <= tol.grad * maxRef + 1e-11))
        throw new Error(`grad.${name}: scaled error ${scaledError(g, want).toExponential(3)} exceeds ${tol.grad}`);
    }
    // The DC and Nyquist imaginary parts never reach the output: their gradient is exactly 0.
    for (const w of ['image_complex_weight', 'text_complex_weight', 'fusion_complex_weight']) {
      const g = params.get(w)!.grad!.toArray();
      expect([g[1], g[65]]).toEqual([0, 0]);
    }
    const adam = new Adam([...params.values()], { lr: 0.001 });
    adam.step();
    for (const [name, p] of params) {
      const want = fx(`after_step.${name}.npy`);
      const got = p.toArray();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      if (!(worst <= tol.step)) throw new Error(`after_step.${name}: max |Δ| ${worst.toExponential(3)} exceeds ${tol.step}`);
    }
    adam.dispose();
  });
});

describe('SMORE dropout on the preference gates (not covered by the fixtures)', () => {
  const ds = readMmrec(path.join(fixturesDir, 'tiny'));
  const cfg = json<Record<string, number>>('smore', 'config.json');
  const make = (rate: number) => {
    const m = new Smore(
      { embedding_size: 64, n_ui_layers: 2, n_layers: 1, image_knn_k: 10, text_knn_k: 5, reg_weight: 1e-4, cl_loss: 0.01, dropout_rate: rate },
      {
        data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
        dtype: 'float64',
        device: 'cpu',
        rng: new Prng(1, 'init'),
        trainBatchSize: cfg.train_batch_size,
      },
    );
    for (const [name, p] of m.parameters()) p.write(Float64Array.from(fx(`${name}.npy`)));
    return m;
  };
  const model = make(0.5);
  const batch = {
    users: tensor(npyNumbers('tiny', 'batch.users.npy'), undefined, { dtype: 'int32' }),
    pos: tensor(npyNumbers('tiny', 'batch.pos.npy'), undefined, { dtype: 'int32' }),
    neg: tensor(npyNumbers('tiny', 'batch.neg.npy'), undefined, { dtype: 'int32' }),
    size: 32,
  };
  afterAll(() => {
    for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
    model.dispose();
  });
  const lossWith = (seed: number) => tidy(() => noGrad(() => model.loss(batch, new Prng(seed, 'dropout')).total.item()));

  test('evaluation ignores dropout', () => {
    tidy(() =>
      noGrad(() => {
        const e = model.embeddings();
        expectClose(e.users, fx('eval.user_emb.npy'), 1e-10, 'eval.user_emb');
        expectClose(e.items, fx('eval.item_emb.npy'), 1e-10, 'eval.item_emb');
      }),
    );
  });

  test('training masks depend only on the dropout stream, and change the loss', () => {
    const losses = json<Record<string, number>>('smore', 'losses.json');
    expect(lossWith(3)).toBe(lossWith(3));
    expect(lossWith(3)).not.toBe(lossWith(4));
    expect(Math.abs(lossWith(3) - losses.total)).toBeGreaterThan(1e-6);
  });

  test('gradients stay finite through the masks', () => {
    const params = model.parameters();
    tidy(() => backward(model.loss(batch, new Prng(3, 'dropout')).total));
    for (const name of ['gate_image_prefer.0.weight', 'gate_text_prefer.0.weight', 'gate_fusion_prefer.0.weight']) {
      const g = params.get(name)!.grad!.toArray();
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
    }
  });
});
