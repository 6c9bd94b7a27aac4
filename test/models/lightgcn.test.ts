/**
 * LightGCN against the official MMRec code (fixtures/lightgcn, float64): the normalized graph, the
 * eval embeddings and scores, the loss parts, every gradient, and one Adam step.
 */
import { backward, noGrad, tensor, matmul } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Adam } from '../../lib/optim/adam';
import { LightGCN } from '../../lib/models/lightgcn';
import { userItemGraph } from '../../lib/graph/user_item_graph';
import { readMmrec } from '../../lib/data/mmrec';
import { Prng } from '../../lib/data/prng';
import { expectClose } from '../harness/compare';
import { fixture, fixturesDir, json, npy, npyNumbers } from '../harness/fixtures';
import * as path from 'path';

describe('LightGCN reproduces the MMRec fixtures (float64)', () => {
  const ds = readMmrec(path.join(fixturesDir, 'tiny'));
  const cfg = json<{ n_layers: number; reg_weight: number; embedding_size: number }>('lightgcn', 'config.json');
  const losses = json<Record<string, number>>('lightgcn', 'losses.json');
  const model = new LightGCN('lightgcn', { embedding_size: cfg.embedding_size, n_layers: cfg.n_layers, reg_weight: cfg.reg_weight }, {
    data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
    dtype: 'float64',
    device: 'cpu',
    rng: new Prng(1, 'init'),
    trainBatchSize: 2048,
  });
  const params = model.parameters();
  for (const [name, p] of params) p.write(Float64Array.from(npyNumbers('lightgcn', `${name}.npy`)));
  const batch = {
    users: tensor(npyNumbers('tiny', 'batch.users.npy'), undefined, { dtype: 'int32' }),
    pos: tensor(npyNumbers('tiny', 'batch.pos.npy'), undefined, { dtype: 'int32' }),
    neg: tensor(npyNumbers('tiny', 'batch.neg.npy'), undefined, { dtype: 'int32' }),
    size: npy('tiny', 'batch.users.npy').shape[0],
  };

  test('the data and the graph match', () => {
    expect([ds.nUsers, ds.nItems]).toEqual([60, 40]);
    const g = userItemGraph(ds.nUsers, ds.nItems, ds.train.users, ds.train.items, 'lightgcn', { dtype: 'float64' });
    const dense = g.adj.toDense().toArray();
    const rows = npyNumbers('lightgcn', 'graph.norm_adj.rows.npy');
    const cols = npyNumbers('lightgcn', 'graph.norm_adj.cols.npy');
    const vals = npyNumbers('lightgcn', 'graph.norm_adj.vals.npy');
    const ref = new Array(100 * 100).fill(0);
    rows.forEach((r, q) => (ref[r * 100 + cols[q]] = vals[q]));
    expectClose(dense, ref, 1e-12, 'norm_adj');
    g.adj.dispose();
    g.R.dispose();
  });

  test('eval embeddings and scores', () => {
    tidy(() => {
      const e = noGrad(() => model.embeddings());
      expectClose(e.users, npyNumbers('lightgcn', 'eval.user_emb.npy'), 1e-10, 'eval.user_emb');
      expectClose(e.items, npyNumbers('lightgcn', 'eval.item_emb.npy'), 1e-10, 'eval.item_emb');
      expectClose(matmul(e.users, e.items, { transB: true }), npyNumbers('lightgcn', 'eval.scores.npy'), 1e-10, 'eval.scores');
    });
  });

  test('losses, gradients and one Adam step', () => {
    tidy(() => {
      const res = model.loss(batch);
      expect(res.parts.bpr.item()).toBeCloseTo(losses.bpr, 12);
      expect(res.parts.reg.item()).toBeCloseTo(losses.reg, 14);
      expect(Math.abs(res.total.item() - losses.total) / losses.total).toBeLessThan(1e-10);
      backward(res.total);
    });
    for (const [name, p] of params) expectClose(p.grad!, npyNumbers('lightgcn', `grad.${name}.npy`), 1e-9, `grad.${name}`);
    const adam = new Adam([...params.values()], { lr: 0.001 });
    adam.step();
    for (const [name, p] of params) {
      const want = npyNumbers('lightgcn', `after_step.${name}.npy`);
      const got = p.toArray();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst).toBeLessThan(1e-9);
    }
    adam.dispose();
    expect(fixture('lightgcn', 'manifest.json')).toBeTruthy();
  });
});
