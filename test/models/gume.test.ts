/**
 * GUME against the official code (fixtures/gume): the constant graphs (kNN, semantic neighbours,
 * enhanced Â, R̂), the forward intermediates, the eval embeddings and scores, every loss part,
 * every gradient and one Adam step, with the reference's four noise tensors injected. Run in
 * float64 (1e-9 per tensor) and in float32 (the README's float32 tolerances).
 */
import * as path from 'path';
import { backward, noGrad, tensor, matmul, CsrMatrix, MmgError } from '../../lib';
import type { Tensor } from '../../lib/tensor';
import { tidy } from '../../lib/autograd/scope';
import { Adam } from '../../lib/optim/adam';
import { Gume, GUME_ALIASES, GUME_DEFAULTS, gumeFactory } from '../../lib/models/gume';
import { modelFactory } from '../../lib/models';
import { knnGraph } from '../../lib/graph/knn_graph';
import { semanticGraph, semanticNeighbourLists } from '../../lib/graph/semantic_graph';
import { readMmrec } from '../../lib/data/mmrec';
import { Prng } from '../../lib/data/prng';
import { scaledError } from '../harness/compare';
import { fixturesDir, json, npy, npyNumbers } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { expectSameEntries, loadCsr, loadTriplets } from '../graph/fixture_graph';

type Dtype = 'float32' | 'float64';
const F = 'gume';
const ds = readMmrec(path.join(fixturesDir, 'tiny'));
const cfg = json<Record<string, number>>(F, 'config.json');
const losses = json<Record<string, number> & { half_sq_norms: Record<string, number> }>(F, 'losses.json');
const paramsJson = json<{ order: string[]; params: Record<string, { shape: number[] }>; aliases: Record<string, string> }>(F, 'params.json');
const modelConfig = Object.fromEntries(Object.keys(GUME_DEFAULTS).map((k) => [k, cfg[k]]));

/** README tolerances: float64 everything to 1e-9 per tensor; float32 as measured against the reference. */
const TOL = {
  float64: { graph: 1e-12, fwd: 1e-9, loss: 1e-9, grad: (ref: number) => 1e-9 * ref, step: 1e-9 },
  float32: { graph: 1e-6, fwd: 1e-5, loss: 1e-5, grad: (ref: number) => 1e-4 * ref + 1e-11, step: 2e-5 },
};

function ctx(dtype: Dtype) {
  return {
    data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
    dtype,
    device: 'cpu' as const,
    rng: new Prng(999, 'init'),
    trainBatchSize: cfg.train_batch_size,
  };
}

function batch() {
  return {
    users: tensor(npyNumbers('tiny', 'batch.users.npy'), undefined, { dtype: 'int32' }),
    pos: tensor(npyNumbers('tiny', 'batch.pos.npy'), undefined, { dtype: 'int32' }),
    neg: tensor(npyNumbers('tiny', 'batch.neg.npy'), undefined, { dtype: 'int32' }),
    size: npy('tiny', 'batch.users.npy').shape[0],
  };
}

/** The reference's noise.{0..3} ([U, 64] each), served per view for the rows the model asks for. */
function fixtureNoise(dtype: Dtype, log: Int32Array[] = []) {
  const full = [0, 1, 2, 3].map((v) => npyNumbers(F, `noise.${v}.npy`));
  return (users: Int32Array, dim: number, view: number): Tensor => {
    log.push(users.slice());
    const src = full[view % 4];
    const out = new Float64Array(users.length * dim);
    users.forEach((u, r) => out.set(src.slice(u * dim, (u + 1) * dim), r * dim));
    return tensor(out, [users.length, dim], { dtype });
  };
}

function loadParams(model: Gume, dtype: Dtype): void {
  for (const [name, p] of model.parameters()) {
    const v = Float64Array.from(npyNumbers(F, `${name}.npy`));
    p.write(dtype === 'float64' ? v : Float32Array.from(v));
  }
}

function expectScaled(got: Tensor | ArrayLike<number>, file: string, tol: number): void {
  const a = 'toArray' in (got as object) ? (got as Tensor).toArray() : (got as ArrayLike<number>);
  const err = scaledError(a, npyNumbers(F, file));
  if (!(err <= tol)) throw new Error(`${file}: scaled error ${err.toExponential(3)} exceeds ${tol}`);
}

function expectRel(got: number, want: number, tol: number, what: string): void {
  const err = Math.abs(got - want) / Math.abs(want);
  if (!(err <= tol)) throw new Error(`${what}: ${got} vs ${want} (relative error ${err.toExponential(3)} exceeds ${tol})`);
}

/** Brute-force N_sem from two kNN CSR matrices (sets of column ids per row). */
function semanticRef(a: CsrMatrix, b: CsrMatrix): number[][] {
  const rowsOf = (m: CsrMatrix) => {
    const { indptr, indices } = m.toArrays();
    return Array.from({ length: m.nRows }, (_, i) => new Set(indices.subarray(indptr[i], indptr[i + 1])));
  };
  const ra = rowsOf(a), rb = rowsOf(b);
  return ra.map((s, i) => [...s].filter((j) => j !== i && rb[i].has(j)).sort((x, y) => x - y));
}

describe('semanticGraph (find_inter + add_edge)', () => {
  test('reproduces fixtures/graphs gume.semantic_neighbours.a_k10.b_k10 and gume.semantic', () => {
    const a = loadCsr(40, 40, 'float64', 'graphs', 'knn.a.k10');
    const b = loadCsr(40, 40, 'float64', 'graphs', 'knn.b.k10');
    const sem = semanticGraph(a, b);
    const want = json<Record<string, number[]>>('graphs', 'gume.semantic_neighbours.a_k10.b_k10.json');
    expect(semanticNeighbourLists(sem)).toEqual(Object.keys(want).map((k) => want[k]));
    expectSameEntries(sem, loadTriplets('graphs', 'gume.semantic'), 0, 'gume.semantic');
    expect(sem.nnz).toBe(83);
    for (const m of [a, b, sem]) m.dispose();
  });

  test('is the per-row intersection minus self for any k, and for different k per modality', () => {
    const rng = new Rng(77);
    for (const [n, ka, kb] of [[30, 3, 3], [30, 7, 12], [25, 25, 25], [12, 1, 5], [50, 15, 15]]) {
      tidy(() => {
        const fa = tensor(rng.normals(n * 6), [n, 6], { dtype: 'float64' });
        const fb = tensor(rng.normals(n * 4), [n, 4], { dtype: 'float64' });
        const A = knnGraph(fa, ka), B = knnGraph(fb, kb);
        const sem = semanticGraph(A, B);
        const lists = semanticNeighbourLists(sem);
        expect(lists).toEqual(semanticRef(A, B));
        expect(lists.every((l, i) => !l.includes(i) && l.length <= Math.min(ka, kb))).toBe(true);
        expect(Array.from(sem.toArrays().values).every((v) => v === 1)).toBe(true);
        for (const m of [A, B, sem]) m.dispose();
      });
    }
  });

  test('rejects graphs of different sizes, naming the op', () => {
    const a = CsrMatrix.fromCoo(3, 3, [0], [1], [1]);
    const b = CsrMatrix.fromCoo(4, 4, [0], [1], [1]);
    expect(() => semanticGraph(a, b)).toThrow(/^semanticGraph: expected two square item graphs of the same size, got 3x3 and 4x4/);
    a.dispose();
    b.dispose();
  });
});

describe.each(['float64', 'float32'] as const)('GUME reproduces the official fixtures (%s)', (dtype) => {
  const tol = TOL[dtype];
  const noiseLog: Int32Array[] = [];
  const model = new Gume(modelConfig, ctx(dtype), { noise: fixtureNoise(dtype, noiseLog) });
  loadParams(model, dtype);
  const params = model.parameters();
  afterAll(() => model.dispose());

  test('the parameters are the reference state_dict minus its aliases, with the fixture shapes', () => {
    expect([...params.keys()]).toEqual(paramsJson.order);
    for (const [name, p] of params) expect(p.shape).toEqual(paramsJson.params[name].shape);
    expect(GUME_ALIASES).toEqual(paramsJson.aliases);
    for (const [alias, target] of Object.entries(GUME_ALIASES)) {
      expect(params.has(alias)).toBe(false);
      expect(params.has(target)).toBe(true);
    }
  });

  test('the constant graphs: kNN rows as sets, semantic neighbours, enhanced Â and R̂', () => {
    const g = model.graphs;
    expectSameEntries(g.image, loadTriplets(F, 'graph.image_knn'), tol.graph, 'image_knn');
    expectSameEntries(g.text, loadTriplets(F, 'graph.text_knn'), tol.graph, 'text_knn');
    expectSameEntries(g.semantic, loadTriplets(F, 'graph.semantic'), 0, 'semantic');
    const want = json<Record<string, number[]>>(F, 'semantic_neighbours.json');
    expect(semanticNeighbourLists(g.semantic)).toEqual(Object.keys(want).map((k) => want[k]));
    expectSameEntries(g.adj, loadTriplets(F, 'graph.norm_adj'), tol.graph, 'norm_adj');
    expectSameEntries(g.R, loadTriplets(F, 'graph.R'), tol.graph, 'R');
    expect([g.adj.nnz, g.semantic.nnz]).toEqual([927, 87]);
  });

  test('forward intermediates g_v, g_t, Z, X_exp_v, X_exp_t, X_ext, Y', () => {
    tidy(() => {
      const f = noGrad(() => model.forward(true));
      expectScaled(f.gV, 'fwd.g_v.npy', tol.fwd);
      expectScaled(f.gT, 'fwd.g_t.npy', tol.fwd);
      expectScaled(f.Z, 'fwd.Z.npy', tol.fwd);
      expectScaled(f.xExpV, 'fwd.X_exp_v.npy', tol.fwd);
      expectScaled(f.xExpT, 'fwd.X_exp_t.npy', tol.fwd);
      expectScaled(f.xExt!, 'fwd.X_ext.npy', tol.fwd);
      expectScaled(f.Y, 'fwd.Y.npy', tol.fwd);
      // Eval skips the extended pass (only the losses read it).
      expect(noGrad(() => model.forward(false)).xExt).toBeNull();
    });
  });

  test('forward restricted to rows gives those rows of Z, X_ext, Y and O (cost.md R4), the rest whole', () => {
    // Unsorted, with a repeat: the restriction is a plain row gather, whatever rows the caller picks.
    // Eval and the fixture checks use the unrestricted forward; the loss uses this one.
    const ids = [3, 70, 0, 41, 3, ds.nUsers + ds.nItems - 1, ds.nUsers];
    tidy(() => {
      const rows = tensor(ids, [ids.length], { dtype: 'int32' });
      const all = noGrad(() => model.forward(true));
      const some = noGrad(() => model.forward(true, rows));
      const at = (t: Tensor) => {
        const a = t.toArray(), d = t.shape[1];
        return ids.flatMap((r) => Array.from(a.slice(r * d, (r + 1) * d)));
      };
      for (const k of ['Z', 'xExt', 'Y', 'O'] as const) {
        expect(some[k]!.shape).toEqual([ids.length, all[k]!.shape[1]]);
        const err = scaledError(some[k]!.toArray(), at(all[k]!));
        // Same math; only the GEMM's blocking for a different row count may round differently.
        if (!(err <= (dtype === 'float64' ? 1e-14 : 1e-6))) throw new Error(`${k}: scaled error ${err.toExponential(3)}`);
      }
      for (const k of ['gV', 'gT', 'xExpV', 'xExpT'] as const) expect(some[k].toArray()).toEqual(all[k].toArray());
    });
  });

  test('eval embeddings and scores', () => {
    tidy(() => {
      const e = noGrad(() => model.embeddings());
      expectScaled(e.users, 'eval.user_emb.npy', tol.fwd);
      expectScaled(e.items, 'eval.item_emb.npy', tol.fwd);
      expectScaled(matmul(e.users, e.items, { transB: true }), 'eval.scores.npy', tol.fwd);
    });
  });

  test('every loss part, every gradient (aliases are one tensor) and one Adam step', () => {
    noiseLog.length = 0;
    const b = batch();
    tidy(() => {
      const res = model.lossDetails(b, null);
      for (const key of Object.keys(losses)) {
        if (key === 'half_sq_norms' || key === 'total') continue;
        expect(res.parts[key]).toBeDefined();
        expectRel(res.parts[key].item(), losses[key], tol.loss, key);
      }
      expect(Object.keys(res.parts).sort()).toEqual(Object.keys(losses).filter((k) => k !== 'half_sq_norms' && k !== 'total').sort());
      const h = losses.half_sq_norms;
      expectRel(res.halfSqNorms.ou.item(), h['O_u[users]'], tol.loss, 'O_u[users]');
      expectRel(res.halfSqNorms.oiPos.item(), h['O_i[pos]'], tol.loss, 'O_i[pos]');
      expectRel(res.halfSqNorms.oiNeg.item(), h['O_i[neg]'], tol.loss, 'O_i[neg]');
      expectRel(res.halfSqNorms.xExtPos.item(), h['X_ext_i[pos]'], tol.loss, 'X_ext_i[pos]');
      expectRel(res.total.item(), losses.total, tol.loss, 'total');
      backward(res.total);
    });
    // Four views, each over the distinct batch users in first-appearance order (user 7 ×3, 21 ×2).
    expect(noiseLog).toHaveLength(4);
    const users = npyNumbers('tiny', 'batch.users.npy');
    const distinct = [...new Set(users)];
    for (const ids of noiseLog) expect(Array.from(ids)).toEqual(distinct);
    expect(distinct.length).toBe(users.length - 3);

    for (const [name, p] of params) {
      const want = npyNumbers(F, `grad.${name}.npy`);
      const got = p.grad!.toArray();
      let maxRef = 0, maxDiff = 0;
      for (let i = 0; i < want.length; i++) {
        maxRef = Math.max(maxRef, Math.abs(want[i]));
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
      }
      if (!(maxDiff <= tol.grad(maxRef))) throw new Error(`grad.${name}: max|Δ| ${maxDiff.toExponential(3)} vs max|ref| ${maxRef.toExponential(3)}`);
    }
    // P_v and P_t reach the loss only through ½(X_ext_v + X_ext_t): identical gradients.
    expect(params.get('extended_image_user.weight')!.grad!.toArray()).toEqual(params.get('extended_text_user.weight')!.grad!.toArray());

    const adam = new Adam([...params.values()], { lr: cfg.learning_rate });
    adam.step();
    for (const [name, p] of params) {
      const want = npyNumbers(F, `after_step.${name}.npy`);
      const got = p.toArray();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      if (!(worst <= tol.step)) throw new Error(`after_step.${name}: max|Δ| ${worst.toExponential(3)} exceeds ${tol.step}`);
    }
    adam.dispose();
    for (const t of [b.users, b.pos, b.neg]) t.dispose();
  });
});

describe('GUME noise, registration and configuration', () => {
  test('the default noise source draws its seeds from the loss Prng: same seed, same loss', () => {
    const model = new Gume(GUME_DEFAULTS, ctx('float64'));
    loadParams(model, 'float64');
    const b = batch();
    const run = (seed: number) => tidy(() => noGrad(() => model.loss(b, new Prng(seed, 'train')).parts.nce_noise_Y.item()));
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
    expect(() => tidy(() => noGrad(() => model.lossDetails(b, null)))).toThrow(/^gume: expected a Prng for the noise views/);
    for (const t of [b.users, b.pos, b.neg]) t.dispose();
    model.dispose();
  });

  test('the noise source is asked once per view for the distinct users only (repeats gather that row)', () => {
    // The fixture test above shows the result equals the reference's perturb-then-index with users 7
    // and 21 repeated; here a batch of one user three times asks for a single row per view.
    const seen: number[][] = [];
    const model = new Gume(modelConfig, ctx('float64'), {
      noise: (users, dim) => {
        seen.push(Array.from(users));
        return tensor(new Float64Array(users.length * dim).fill(0.5), [users.length, dim], { dtype: 'float64' });
      },
    });
    const b = {
      users: tensor([3, 3, 3], [3], { dtype: 'int32' }),
      pos: tensor([1, 2, 4], [3], { dtype: 'int32' }),
      neg: tensor([5, 6, 7], [3], { dtype: 'int32' }),
      size: 3,
    };
    tidy(() => noGrad(() => model.loss(b, new Prng(1))));
    expect(seen).toEqual([[3], [3], [3], [3]]);
    for (const t of [b.users, b.pos, b.neg]) t.dispose();
    model.dispose();
  });

  test('is registered with GUME.yaml Baby defaults and the image and text modalities', () => {
    const f = modelFactory('gume');
    expect(f).toBe(gumeFactory);
    expect(f.modalities).toEqual(['image', 'text']);
    expect(f.defaults).toEqual({
      embedding_size: 64, n_ui_layers: 3, n_layers: 2, knn_k: 10, reg_weight_1: 1e-5, reg_weight_2: 0.1,
      bm_loss: 0.01, bm_temp: 0.4, um_loss: 0.01, um_temp: 0.1, vt_loss: 0.1,
    });
    const m = f.create({ n_layers: 1 }, ctx('float32'));
    expect(m.config.n_layers).toBe(1);
    expect(m.parameters().size).toBe(21);
    m.dispose();
  });

  test('range errors name the key', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ n_layers: -1 }, /^gume: expected n_layers to be an integer in \[0, 16\], got -1/],
      [{ knn_k: 0 }, /^gume: expected knn_k to be an integer/],
      [{ knn_k: 41 }, /^gume: expected knn_k to be at most the number of items \(40\), got 41/],
      [{ um_temp: 0 }, /^gume: expected um_temp to be a number in/],
      [{ vt_loss: -0.1 }, /^gume: expected vt_loss to be a number in/],
      [{ embedding_size: 1.5 }, /^gume: expected embedding_size to be an integer/],
      [{ bm_tmp: 0.2 }, /^gume: unknown hyper-parameter 'bm_tmp'/],
    ];
    for (const [c, re] of bad) {
      let err: unknown = null;
      try {
        gumeFactory.create(c, ctx('float32'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MmgError);
      expect((err as Error).message).toMatch(re);
    }
  });
});
