/**
 * Checks a model against fixtures/mgcn (MMRec's MGCN on tiny/, one training step): graphs, forward
 * intermediates, eval embeddings and scores, every loss part, every gradient and one Adam step.
 * Shared by MGCN itself and by the models whose switches can be set to MGCN's choices (SynerGraph).
 */
import * as path from 'path';
import { backward, matmul, noGrad, tensor, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Adam } from '../../lib/optim/adam';
import { readMmrec } from '../../lib/data/mmrec';
import { Prng } from '../../lib/data/prng';
import type { Model, ModelContext, Batch } from '../../lib/models/model';
import type { CsrMatrix } from '../../lib/sparse/csr';
import { expectClose, scaledError } from './compare';
import { fixturesDir, json, npy, npyNumbers } from './fixtures';
import { expectSameEntries, loadTriplets } from '../graph/fixture_graph';

export const MGCN_TOL = {
  float64: { graph: 1e-12, fwd: 1e-10, loss: 1e-10, grad: 1e-9, step: 1e-9 },
  float32: { graph: 1e-6, fwd: 1e-5, loss: 1e-5, grad: 1e-4, step: 2e-5 },
} as const;

export interface MgcnLike extends Model {
  graphs: { adj: CsrMatrix; R: CsrMatrix; image?: CsrMatrix; text?: CsrMatrix };
  forward(rows?: Tensor | null): { Z: Tensor; side: Tensor; O: Tensor; P?: Tensor[] };
}

const fx = (name: string) => npyNumbers('mgcn', name);

export function tinyContext(dtype: 'float32' | 'float64'): ModelContext {
  const ds = readMmrec(path.join(fixturesDir, 'tiny'));
  const cfg = json<Record<string, number>>('mgcn', 'config.json');
  return {
    data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
    dtype,
    device: 'cpu',
    rng: new Prng(1, 'init'),
    trainBatchSize: cfg.train_batch_size,
  };
}

export function tinyBatch(): Batch {
  return {
    users: tensor(npyNumbers('tiny', 'batch.users.npy'), undefined, { dtype: 'int32' }),
    pos: tensor(npyNumbers('tiny', 'batch.pos.npy'), undefined, { dtype: 'int32' }),
    neg: tensor(npyNumbers('tiny', 'batch.neg.npy'), undefined, { dtype: 'int32' }),
    size: npy('tiny', 'batch.users.npy').shape[0],
  };
}

/**
 * Registers the fixture tests for `make(dtype)`. `paramName` maps the model's parameter names to the
 * fixture's state_dict keys (identity by default); `lossKeys` maps fixture loss keys to the model's parts.
 */
export function describeMgcnFixture(title: string, make: (dtype: 'float32' | 'float64') => MgcnLike, lossKeys: Record<string, string> = {}): void {
  describe.each(['float64', 'float32'] as const)(`${title} reproduces fixtures/mgcn (%s)`, (dtype) => {
    const tol = MGCN_TOL[dtype];
    const model = make(dtype);
    const params = model.parameters();
    const order = json<{ order: string[] }>('mgcn', 'params.json').order;
    for (const [name, p] of params) {
      const v = fx(`${name}.npy`);
      expect(v.length).toBe(p.size);
      p.write(dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v));
    }
    const batch = tinyBatch();
    const losses = json<Record<string, number>>('mgcn', 'losses.json');
    afterAll(() => {
      for (const t of [batch.users, batch.pos, batch.neg]) t.dispose();
      model.dispose();
    });

    test('the parameter set is the reference state_dict', () => {
      expect([...params.keys()].sort()).toEqual([...order].sort());
    });

    test('the constant graphs match', () => {
      const shapes = json<Record<string, { shape: number[]; nnz: number }>>('mgcn', 'graphs.json');
      const g = model.graphs;
      for (const [name, m] of [['norm_adj', g.adj], ['R', g.R], ['image_knn', g.image], ['text_knn', g.text]] as const) {
        if (!m) throw new Error(`graph ${name} missing`);
        expect([m.nRows, m.nCols]).toEqual(shapes[name].shape);
        expect(m.nnz).toBe(shapes[name].nnz);
        expectSameEntries(m, loadTriplets('mgcn', `graph.${name}`), tol.graph, `graph.${name}`);
      }
    });

    test('forward intermediates, eval embeddings and scores', () => {
      tidy(() =>
        noGrad(() => {
          const f = model.forward(null);
          if (f.P) {
            expectClose(f.P[0], fx('fwd.P_v.npy'), tol.fwd, 'fwd.P_v');
            expectClose(f.P[1], fx('fwd.P_t.npy'), tol.fwd, 'fwd.P_t');
          }
          expectClose(f.Z, fx('fwd.Z.npy'), tol.fwd, 'fwd.Z');
          expectClose(f.side, fx('fwd.S_side.npy'), tol.fwd, 'fwd.S_side');
          expectClose(f.O, fx('fwd.O.npy'), tol.fwd, 'fwd.O');
          const e = model.embeddings();
          expectClose(e.users, fx('eval.user_emb.npy'), tol.fwd, 'eval.user_emb');
          expectClose(e.items, fx('eval.item_emb.npy'), tol.fwd, 'eval.item_emb');
          expectClose(matmul(e.users, e.items, { transB: true }), fx('eval.scores.npy'), tol.fwd, 'eval.scores');
        }),
      );
    });

    test('losses, gradients and one Adam step', () => {
      tidy(() => {
        const res = model.loss(batch, new Prng(7, 'train'));
        const got: Record<string, number> = { total: res.total.item() };
        for (const [k, t] of Object.entries(res.parts)) got[k] = t.item();
        for (const key of ['bpr', 'reg', 'nce_items', 'nce_users', 'cl', 'total']) {
          const mine = got[lossKeys[key] ?? key];
          const rel = Math.abs(mine - losses[key]) / Math.abs(losses[key]);
          if (!(rel <= tol.loss)) throw new Error(`loss ${key}: ${mine} vs ${losses[key]} (relative ${rel.toExponential(3)})`);
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
}
