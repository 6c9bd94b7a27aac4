import { CsrMatrix, maxPoolFusion } from '../../lib';
import { Rng } from '../harness/rng';
import { maxPoolFusionRef } from '../reference/max_pool_fusion';
import { expectSameEntries, loadCsr, loadTriplets } from './fixture_graph';

describe('maxPoolFusion', () => {
  const rng = new Rng(13);

  test.each([
    ['a.k10', 'b.k3', 'a_k10.b_k3'],
    ['dup.k10', 'b.k10', 'dup_k10.b_k10'],
  ])('reproduces fixtures/graphs fusion from knn.%s and knn.%s', (v, t, name) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const sv = loadCsr(40, 40, dtype, 'graphs', `knn.${v}`);
      const st = loadCsr(40, 40, dtype, 'graphs', `knn.${t}`);
      const f = maxPoolFusion(sv, st);
      expectSameEntries(f, loadTriplets('graphs', `fusion.${name}`), dtype === 'float32' ? 1e-6 : 0, `fusion.${name} ${dtype}`);
      for (const m of [sv, st, f]) m.dispose();
    }
  });

  test('matches the reference on random supports, incl. empty rows and negative values (max of present values, not of 0)', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(8), m = 1 + rng.int(8);
      const mk = () => {
        const e = rng.int(20);
        return CsrMatrix.fromCoo(n, m, Array.from({ length: e }, () => rng.int(n)), Array.from({ length: e }, () => rng.int(m)),
          Array.from({ length: e }, () => rng.normal()), { duplicates: 'collapse', dtype: 'float64' });
      };
      const a = mk(), b = mk();
      const f = maxPoolFusion(a, b);
      const want = maxPoolFusionRef(n, m, a.toArrays(), b.toArrays());
      const got = f.toArrays();
      expect(f.nnz).toBe(want.size);
      for (let r = 0; r < n; r++)
        for (let q = got.indptr[r]; q < got.indptr[r + 1]; q++) {
          if (q > got.indptr[r]) expect(got.indices[q]).toBeGreaterThan(got.indices[q - 1]);
          expect(got.values[q]).toBe(want.get(`${r},${got.indices[q]}`));
        }
      for (const x of [a, b, f]) x.dispose();
    }
  });

  test('errors on shape or dtype mismatch', () => {
    const a = CsrMatrix.fromCoo(2, 2, [0], [0], [1]);
    const b = CsrMatrix.fromCoo(2, 3, [0], [0], [1]);
    const c = CsrMatrix.fromCoo(2, 2, [0], [0], [1], { dtype: 'float64' });
    expect(() => maxPoolFusion(a, b)).toThrow(/^maxPoolFusion: expected Sv and St of the same shape, got 2x2 and 2x3/);
    expect(() => maxPoolFusion(a, c)).toThrow(/^maxPoolFusion: expected Sv and St to share a dtype/);
    for (const x of [a, b, c]) x.dispose();
  });
});
