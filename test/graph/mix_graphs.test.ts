/** SINGER's EISG mix S̄ = (1−β)·a + β·b (singer.md §4.4). */
import { CsrMatrix, cooccurrenceGraph, mixGraphs } from '../../lib';
import { Rng } from '../harness/rng';
import { mixGraphsDenseRef } from '../reference/cooccurrence_graph';

describe('mixGraphs', () => {
  const rng = new Rng(17);
  const mk = (n: number, dtype: 'float32' | 'float64' = 'float64', positive = false) => {
    const e = rng.int(3 * n);
    return CsrMatrix.fromCoo(n, n, Array.from({ length: e }, () => rng.int(n)), Array.from({ length: e }, () => rng.int(n)),
      Array.from({ length: e }, () => (positive ? rng.uniform() + 0.01 : rng.normal())), { duplicates: 'collapse', dtype });
  };
  const dense = (m: CsrMatrix) => {
    const t = m.toDense();
    const d = Array.from(t.toTypedArray() as Float64Array);
    t.dispose();
    return d;
  };
  const pattern = (m: CsrMatrix) => {
    const { indptr, indices } = m.toArrays();
    const s = new Set<string>();
    for (let r = 0; r < m.nRows; r++) for (let q = indptr[r]; q < indptr[r + 1]; q++) s.add(`${r},${indices[q]}`);
    return s;
  };

  test('matches the dense reference on random supports; pattern = union, zeros kept', () => {
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(9);
      const renorm = trial % 2 === 1;
      const a = mk(n, 'float64', renorm), b = mk(n, 'float64', renorm);
      const beta = [0.5, 0.1, 0.9, rng.uniform()][trial % 4];
      const m = mixGraphs(a, b, beta, { renorm });
      const want = mixGraphsDenseRef(dense(a), dense(b), n, beta, renorm);
      dense(m).forEach((v, e) => expect(Math.abs(v - want[e])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want[e]))));
      expect(pattern(m)).toEqual(new Set([...pattern(a), ...pattern(b)]));
      const { indptr, indices } = m.toArrays();
      for (let r = 0; r < n; r++) for (let q = indptr[r] + 1; q < indptr[r + 1]; q++) expect(indices[q]).toBeGreaterThan(indices[q - 1]);
      for (const x of [a, b, m]) x.dispose();
    }
    // Cancellation leaves a stored 0.
    const a = CsrMatrix.fromCsr(1, 2, Int32Array.from([0, 1]), Int32Array.from([1]), Float64Array.from([1]));
    const b = CsrMatrix.fromCsr(1, 2, Int32Array.from([0, 1]), Int32Array.from([1]), Float64Array.from([-1]));
    const m = mixGraphs(a, b, 0.5);
    expect(Array.from(m.toArrays().values)).toEqual([0]);
    for (const x of [a, b, m]) x.dispose();
  });

  test('β = 0 returns exactly a (pattern and values), β = 1 exactly b, in both dtypes', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (let trial = 0; trial < 10; trial++) {
        const a = mk(7, dtype), b = mk(7, dtype);
        const m0 = mixGraphs(a, b, 0), m1 = mixGraphs(a, b, 1);
        expect(m0.dtype).toBe(dtype);
        expect(m0.toArrays()).toEqual(a.toArrays());
        expect(m1.toArrays()).toEqual(b.toArrays());
        for (const x of [a, b, m0, m1]) x.dispose();
      }
    }
  });

  test('renorm on two sym-normalized co-occurrence graphs: rows of D^-½ S̄ D^-½ from S̄ row sums', () => {
    const users = Array.from({ length: 80 }, () => rng.int(15)), items = Array.from({ length: 80 }, () => rng.int(12));
    const a = cooccurrenceGraph(15, 12, users, items, 3, { dtype: 'float64' });
    const b = cooccurrenceGraph(15, 12, users, items, 5, { mode: 'two_hop', dtype: 'float64' });
    const m = mixGraphs(a, b, 0.3, { renorm: true });
    const want = mixGraphsDenseRef(dense(a), dense(b), 12, 0.3, true);
    dense(m).forEach((v, e) => expect(Math.abs(v - want[e])).toBeLessThanOrEqual(1e-13));
    for (const x of [a, b, m]) x.dispose();
  });

  test('errors: shapes, dtypes, β outside [0, 1], disposed input', () => {
    const a = mk(3), b = mk(4), c = mk(3, 'float32');
    expect(() => mixGraphs(a, b, 0.5)).toThrow(/^mixGraphs: expected a and b of the same shape, got 3x3 and 4x4$/);
    expect(() => mixGraphs(a, c, 0.5)).toThrow(/^mixGraphs: expected a and b to share a dtype, got float64 and float32$/);
    for (const beta of [-0.1, 1.5, NaN]) expect(() => mixGraphs(a, a, beta)).toThrow(/^mixGraphs: expected beta in \[0, 1\], got/);
    c.dispose();
    expect(() => mixGraphs(c, c, 0.5)).toThrow(/expected a live CsrMatrix/);
    a.dispose();
    b.dispose();
  });
});
