/**
 * The batch-restricted propagations (cost.md R4, R7) against the full ones they replace:
 * lightgcnMeanAt(adj, adj_rows, x0, L, rows) = gatherRows(lightgcnMean(adj, x0, L), rows), and
 * withUsersAt = gatherRows(withUsers(R, h), rows), values and gradients, on random graphs.
 */
import { CsrMatrix, tensor } from '../../lib';
import { backward } from '../../lib/autograd/tape';
import { tidy } from '../../lib/autograd/scope';
import { gatherRows, mul, sum } from '../../lib/ops';
import { BatchGraphRows, CsrRowSelection, lightgcnMean, lightgcnMeanAt, withUsers, withUsersAt } from '../../lib/nn/propagate';
import { checkedIndex } from '../../lib/nn/batch';
import { Rng } from '../harness/rng';

function randomCsr(rng: Rng, n: number, m: number, density: number): CsrMatrix {
  const r: number[] = [], c: number[] = [], v: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (rng.uniform() < density) (r.push(i), c.push(j), v.push(rng.uniform() - 0.5));
  return CsrMatrix.fromCoo(n, m, r, c, v, { dtype: 'float64' });
}

const randn = (rng: Rng, n: number, d: number) => Float64Array.from({ length: n * d }, () => rng.uniform() * 2 - 1);

/** Value and gradient w.r.t. the input of sum(f(x) ⊙ w), a fixed random weighting of the output. */
function valueAndGrad(x0: Float64Array, shape: [number, number], w: Float64Array, f: (x: ReturnType<typeof tensor>) => ReturnType<typeof tensor>) {
  return tidy(() => {
    const x = tensor(x0, shape, { dtype: 'float64', requiresGrad: true });
    const y = f(x);
    const loss = sum(mul(y, tensor(w, y.shape as [number, number], { dtype: 'float64' })));
    backward(loss);
    const out = { y: Array.from(y.data() as Float64Array), g: Array.from(x.grad!.data() as Float64Array) };
    x.grad!.dispose();
    return out;
  });
}

function expectClose(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[i])));
}

describe('batch-restricted propagation', () => {
  test.each([0, 1, 3])('lightgcnMeanAt equals gathering rows of lightgcnMean (L = %i), repeated and unsorted rows too', (L) => {
    const rng = new Rng(11 + L);
    const N = 37, d = 5;
    const adj = randomCsr(rng, N, N, 0.15);
    const sel = new CsrRowSelection(adj);
    const x0 = randn(rng, N, d);
    for (const ids of [[0, 3, 4, 10, 36], [7, 2, 2, 30, 7, 0]]) {
      const rows = checkedIndex(Int32Array.from(ids), N, 'cpu');
      const w = randn(rng, ids.length, d);
      const full = valueAndGrad(x0, [N, d], w, (x) => gatherRows(lightgcnMean(adj, x, L), rows));
      const at = valueAndGrad(x0, [N, d], w, (x) => lightgcnMeanAt(adj, sel.select(Int32Array.from(ids)), x, L, rows));
      expectClose(at.y, full.y);
      expectClose(at.g, full.g);
      expect(full.g.some((v) => v !== 0)).toBe(true);
      rows.dispose();
    }
    sel.dispose();
    adj.dispose();
  });

  test('withUsersAt equals gathering rows of withUsers; BatchGraphRows refuses rows that are not users first', () => {
    const rng = new Rng(5);
    const U = 9, I = 6, d = 4;
    const R = randomCsr(rng, U, I, 0.4);
    const adj = randomCsr(rng, U + I, U + I, 0.2);
    const bg = new BatchGraphRows(R, adj, U);
    const h0 = randn(rng, I, d);
    const ids = [1, 4, 8, U + 0, U + 3, U + 5];
    const rows = checkedIndex(Int32Array.from(ids), U + I, 'cpu');
    const w = randn(rng, ids.length, d);
    const full = valueAndGrad(h0, [I, d], w, (h) => gatherRows(withUsers(R, h), rows));
    const at = valueAndGrad(h0, [I, d], w, (h) => {
      const v = bg.viewAt(rows)!;
      return withUsersAt(v.Rb, h, v.items);
    });
    expectClose(at.y, full.y);
    expectClose(at.g, full.g);
    const mixed = checkedIndex(Int32Array.from([U + 1, 2]), U + I, 'cpu');
    expect(bg.viewAt(mixed)).toBeNull();
    // A row past the graph (an item id past nItems in a batch) is an error, not an empty row.
    const past = checkedIndex(Int32Array.from([1, U + I]), U + I + 1, 'cpu');
    expect(() => bg.adjAt(past)).toThrow(/^batch graph rows: expected row ids in \[0, 15\), got 15 at 1/);
    past.dispose();
    for (const t of [rows, mixed]) t.dispose();
    bg.dispose();
    R.dispose();
    adj.dispose();
  });
});
