/** Cosine kNN graph construction (protocol §11). @covers knn_graph */
import * as fc from 'fast-check';
import { MmgError, knnGraph, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';
import { cosineSimRef, knnGraphRef } from '../reference/knn_graph';
import { expectSameEntries, loadFeatures, loadTriplets } from './fixture_graph';

describe('knnGraph', () => {
  const rng = new Rng(5);

  test.each(['a', 'b', 'dup'])('reproduces fixtures/graphs knn.%s.k{3,10} in float32 (rel 1e-6) and float64 (rel 1e-9), rows as sets', (f) => {
    for (const k of [3, 10]) {
      const want = loadTriplets('graphs', `knn.${f}.k${k}`);
      for (const dtype of ['float32', 'float64'] as const) {
        for (const block of [0, 7]) {
          const x = loadFeatures(`feat_${f}.npy`, dtype);
          const g = knnGraph(x, k, { block });
          expect(g.nnz).toBe(40 * k);
          expect(g.dtype).toBe(dtype);
          expectSameEntries(g, want, dtype === 'float32' ? 1e-6 : 1e-9, `knn.${f}.k${k} ${dtype} block=${block}`);
          // Rows are sorted by column.
          const { indptr, indices } = g.toArrays();
          for (let r = 0; r < 40; r++) for (let q = indptr[r] + 1; q < indptr[r + 1]; q++) expect(indices[q]).toBeGreaterThan(indices[q - 1]);
          g.dispose();
          x.dispose();
        }
      }
    }
  });

  // f >= 2: with one feature every cosine is ±1, and which of the exact ties survives rounding is arbitrary.
  test('matches the dense reference on random data: k = 1, k = n, blocks that do not divide n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 9 }), (n, f, blk) => {
        const k = 1 + rng.int(n);
        const data = Array.from({ length: n * f }, () => rng.normal() + 0.3);
        const g = tidy(() => knnGraph(tensor(data, [n, f], { dtype: 'float64' }), k, { block: blk }));
        const ref = knnGraphRef(cosineSimRef(data, n, f), n, k);
        const got = g.toArrays();
        expect(Array.from(got.indptr)).toEqual(ref.indptr);
        expect(Array.from(got.indices)).toEqual(ref.indices);
        // With k near n a degree can be negative: both give NaN there, as torch.pow(deg, -0.5) does.
        got.values.forEach((v, q) => {
          if (Number.isNaN(ref.values[q])) expect(v).toBeNaN();
          else expect(Math.abs(v - ref.values[q])).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(ref.values[q])));
        });
        g.dispose();
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('ties at the cut keep the lower column; a larger input runs across several blocks and threads', () => {
    // Rows 1, 2 and 3 are identical: for row 0 they tie, and k = 2 keeps self and the lowest of them.
    const g = tidy(() => knnGraph(tensor([1, 0, 1, 1, 1, 1, 1, 1, 0, 1], [5, 2], { dtype: 'float64' }), 2));
    const a = g.toArrays();
    expect(Array.from(a.indices.slice(0, 2))).toEqual([0, 1]);
    expect(Array.from(a.indices.slice(2, 4))).toEqual([1, 2]);
    g.dispose();
    const n = 600, f = 12, k = 8;
    const data = Array.from({ length: n * f }, () => rng.normal());
    const big = tidy(() => knnGraph(tensor(data, [n, f], { dtype: 'float64' }), k, { block: 64 }));
    const ref = knnGraphRef(cosineSimRef(data, n, f), n, k);
    expect(Array.from(big.toArrays().indices)).toEqual(ref.indices);
    big.dispose();
  });

  test('errors: a zero feature row is MMG_E_DATA naming the row (the reference would give NaN); k out of range', () => {
    tidy(() => {
      const x = tensor([1, 2, 0, 0, 3, 4], [3, 2]);
      let e: MmgError | null = null;
      try {
        knnGraph(x, 2);
      } catch (err) {
        e = err as MmgError;
      }
      expect(e?.code).toBe('MMG_E_DATA');
      expect(e?.message).toMatch(/^knn_graph: expected every feature row to have a non-zero finite L2 norm, got norm 0 at row 1/);
      expect(() => knnGraph(tensor([1, NaN, 1, 1], [2, 2]), 1)).toThrow(/got a non-finite norm at row 0/);
      const ok = tensor([1, 2, 3, 4, 5, 7], [3, 2]);
      expect(() => knnGraph(ok, 4)).toThrow(/^knn_graph: expected 1 <= k <= n = 3 \(number of rows\), got k = 4/);
      expect(() => knnGraph(ok, 0)).toThrow(/got k = 0/);
      expect(() => knnGraph(ok, 1.5)).toThrow(/expected an integer k/);
      expect(() => knnGraph(tensor([1, 2, 3], [3]), 1)).toThrow(/expected features of shape \[n, f\]/);
      expect(() => knnGraph(tensor(Int32Array.from([1, 2]), [1, 2]), 1)).toThrow(/^knn_graph: expected X to be float32 or float64/);
      const g = knnGraph(ok, 3);
      expect(g.nnz).toBe(9);
      g.dispose();
    });
  });
});
