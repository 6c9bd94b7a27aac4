import { CsrMatrix, MmgError, userItemGraph } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { json } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { userItemGraphRef } from '../reference/user_item_graph';
import { expectSameEntries, loadCsr, loadPairs, loadTriplets } from './fixture_graph';

describe('userItemGraph', () => {
  const rng = new Rng(9);
  const tol = { float32: 1e-6, float64: 1e-9 } as const;

  test.each(['float32', 'float64'] as const)('reproduces fixtures ui_small smore_adj, smore_R (sym-sum) and lightgcn_adj (%s)', (dtype) => {
    const { n_users: U, n_items: I } = json<{ n_users: number; n_items: number }>('graphs', 'ui_small.json');
    const { users, items } = loadPairs('ui_small.tsv');
    const s = userItemGraph(U, I, users, items, 'sym-sum', { dtype });
    expect(s.adj.nRows).toBe(U + I);
    expect(s.R.nRows).toBe(U);
    expect(s.R.nCols).toBe(I);
    expectSameEntries(s.adj, loadTriplets('graphs', 'ui_small.smore_adj'), tol[dtype], 'smore_adj');
    expectSameEntries(s.R, loadTriplets('graphs', 'ui_small.smore_R'), tol[dtype], 'smore_R');
    // The duplicated pair (0, 1) has weight 2: Â[0, U+1] = 2/√(3·4).
    const d = tidy(() => s.adj.toDense().toArray());
    expect(Math.abs(d[0 * (U + I) + U + 1] - 2 / Math.sqrt(12))).toBeLessThan(1e-6);
    const l = userItemGraph(U, I, users, items, 'lightgcn', { dtype });
    expectSameEntries(l.adj, loadTriplets('graphs', 'ui_small.lightgcn_adj'), tol[dtype], 'lightgcn_adj');
    for (const g of [s, l]) {
      g.adj.dispose();
      g.R.dispose();
    }
  });

  test.each(['float32', 'float64'] as const)('reproduces fixtures ui_40 gume_adj and gume_R with gume.semantic as the item–item block (%s)', (dtype) => {
    const { n_users: U, n_items: I } = json<{ n_users: number; n_items: number }>('graphs', 'ui_40.json');
    const { users, items } = loadPairs('ui_40.tsv');
    const sem = loadCsr(I, I, 'float64', 'graphs', 'gume.semantic');
    const g = userItemGraph(U, I, users, items, 'sym-sum', { dtype, itemItem: sem });
    expectSameEntries(g.adj, loadTriplets('graphs', 'ui_40.gume_adj'), tol[dtype], 'gume_adj');
    expectSameEntries(g.R, loadTriplets('graphs', 'ui_40.gume_R'), tol[dtype], 'gume_R');
    // GUME's enhanced Â is not symmetric (S_sem is directed).
    const t = g.adj.transpose();
    expect(Array.from(t.toArrays().indices)).not.toEqual(Array.from(g.adj.toArrays().indices));
    for (const m of [g.adj, g.R, sem]) m.dispose();
  });

  test('matches the dense reference on random interactions with duplicates, empty users/items and an item–item block', () => {
    for (const mode of ['sym-sum', 'lightgcn'] as const) {
      for (let trial = 0; trial < 10; trial++) {
        const U = 1 + rng.int(6), I = 1 + rng.int(6), E = rng.int(15);
        const users = Array.from({ length: E }, () => rng.int(U));
        const items = Array.from({ length: E }, () => rng.int(I));
        const semRows: number[] = [], semCols: number[] = [];
        for (let q = rng.int(5); q > 0; q--) { semRows.push(rng.int(I)); semCols.push(rng.int(I)); }
        const sem = trial % 2 ? CsrMatrix.fromCoo(I, I, semRows, semCols, semRows.map(() => 1), { duplicates: 'collapse', dtype: 'float64' }) : undefined;
        const semDense = sem ? tidy(() => sem.toDense().toArray()) : undefined;
        const g = userItemGraph(U, I, users, items, mode, { dtype: 'float64', itemItem: sem });
        const want = userItemGraphRef(U, I, users, items, mode, semDense);
        const got = tidy(() => g.adj.toDense().toArray());
        got.forEach((v, q) => expect(Math.abs(v - want[q])).toBeLessThanOrEqual(1e-12));
        const r = tidy(() => g.R.toDense().toArray());
        for (let u = 0; u < U; u++) for (let i = 0; i < I; i++) expect(r[u * I + i]).toBe(got[u * (U + I) + U + i]);
        for (const m of [g.adj, g.R, sem]) m?.dispose();
      }
    }
  });

  test('errors: ids out of range name the row; length mismatch; wrong item–item shape; bad mode', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as MmgError).code} ${(e as MmgError).message}`;
      }
      return 'no error';
    };
    expect(err(() => userItemGraph(2, 2, [0, 2], [0, 1], 'sym-sum'))).toBe('MMG_E_DATA userItemGraph: expected user ids in [0, 2), got 2 at row 1');
    expect(err(() => userItemGraph(2, 2, [0, 1], [0, -1], 'sym-sum'))).toBe('MMG_E_DATA userItemGraph: expected item ids in [0, 2), got -1 at row 1');
    expect(err(() => userItemGraph(2, 2, [0, 1], [0], 'sym-sum'))).toMatch(/^MMG_E_SHAPE/);
    expect(err(() => userItemGraph(2, 2, [0], [0], 'mean' as never))).toMatch(/^MMG_E_ARG userItemGraph: expected mode/);
    const s = CsrMatrix.fromCoo(3, 3, [0], [1], [1]);
    expect(err(() => userItemGraph(2, 2, [0], [0], 'sym-sum', { itemItem: s }))).toMatch(/^MMG_E_SHAPE userItemGraph: expected itemItem of shape 2x2, got 3x3/);
    s.dispose();
  });
});
