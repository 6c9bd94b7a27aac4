/** CsrMatrix construction and transpose. @covers csr_from_coo csr_transpose */
import * as fc from 'fast-check';
import { CsrMatrix, MmgError, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';
import { cooToCsrRef, csrToDenseRef } from '../reference/csr';

function arrays(a: CsrMatrix) {
  const { indptr, indices, values } = a.toArrays();
  return { indptr: Array.from(indptr), indices: Array.from(indices), values: Array.from(values) };
}

describe('CsrMatrix', () => {
  const rng = new Rng(3);

  test.each(['sum', 'collapse'] as const)('fromCoo matches the reference with duplicates (%s), empty rows, float32/float64', (dup) => {
    for (const dtype of ['float32', 'float64'] as const) {
      // (0,1) three times, (2,0) twice; rows 1 and 4 empty; unsorted input.
      const rows = [2, 0, 3, 0, 2, 0, 3];
      const cols = [0, 1, 4, 1, 0, 1, 2];
      const vals = [0.5, 1, 2, 3, 0.25, 5, 7];
      const a = CsrMatrix.fromCoo(5, 5, rows, cols, vals, { duplicates: dup, dtype });
      const ref = cooToCsrRef(5, rows, cols, vals, dup);
      expect(arrays(a)).toEqual(ref);
      expect(a.values.dtype).toBe(dtype);
      expect(ref.values[0]).toBe(dup === 'sum' ? 9 : 1); // (0,1): 1+3+5 or the first, 1
      a.dispose();
    }
  });

  test('fromCoo accepts int32, int64 and tensor inputs; random property against the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (n, m, nnz, sum) => {
        const rows = Array.from({ length: nnz }, () => rng.int(n));
        const cols = Array.from({ length: nnz }, () => rng.int(m));
        const vals = Array.from({ length: nnz }, () => rng.normal());
        const dup = sum ? 'sum' : 'collapse';
        const a = CsrMatrix.fromCoo(n, m, BigInt64Array.from(rows.map(BigInt)), Int32Array.from(cols), Float64Array.from(vals), { duplicates: dup, dtype: 'float64' });
        const ref = cooToCsrRef(n, rows, cols, vals, dup);
        const got = arrays(a);
        expect(got.indptr).toEqual(ref.indptr);
        expect(got.indices).toEqual(ref.indices);
        got.values.forEach((v, q) => expect(Math.abs(v - ref.values[q])).toBeLessThanOrEqual(1e-12));
        a.dispose();
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('transpose is the dense transpose, cached, and its transpose is the original', () => {
    const a = CsrMatrix.fromCoo(3, 4, [0, 0, 2, 2, 1], [3, 1, 0, 3, 2], [1, 2, 3, 4, 5], { dtype: 'float64' });
    const t = a.transpose();
    expect(t.nRows).toBe(4);
    expect(t.nCols).toBe(3);
    expect(a.transpose()).toBe(t);
    expect(t.transpose()).toBe(a);
    const d = csrToDenseRef(3, 4, arrays(a));
    const dt = tidy(() => t.toDense().toArray());
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(dt[j * 3 + i]).toBe(d[i * 4 + j]);
    expect(arrays(t).indptr).toEqual([0, 1, 2, 3, 5]);
    expect(arrays(t).indices).toEqual([2, 0, 1, 0, 2]); // columns ascending in every row
    // Disposing the transpose alone leaves the owner usable; disposing the owner frees both.
    t.dispose();
    expect(a.isDisposed).toBe(false);
    const t2 = a.transpose();
    expect(t2).not.toBe(t);
    a.dispose();
    expect(t2.isDisposed).toBe(true);
    expect(() => a.transpose()).toThrow(/CsrMatrix.transpose: expected a live CsrMatrix/);
  });

  test('tensors survive tidy(); empty matrices work', () => {
    const a = tidy(() => CsrMatrix.fromCoo(2, 2, [1], [1], [3]));
    expect(a.values.disposed).toBe(false);
    expect(a.toArrays().values[0]).toBe(3);
    a.dispose();
    const e = CsrMatrix.fromCoo(3, 2, [], [], []);
    expect(e.nnz).toBe(0);
    expect(Array.from(e.toArrays().indptr)).toEqual([0, 0, 0, 0]);
    expect(e.transpose().nnz).toBe(0);
    e.dispose();
  });

  test('errors: out-of-range indices (named), unequal lengths, bad options', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as MmgError;
      }
      throw new Error('expected a throw');
    };
    const e1 = err(() => CsrMatrix.fromCoo(3, 3, [0, 5], [0, 1], [1, 1]));
    expect(e1.code).toBe('MMG_E_DATA');
    expect(e1.message).toMatch(/^csr_from_coo: expected row indices in \[0, 3\), got 5 at entry 1/);
    const e2 = err(() => CsrMatrix.fromCoo(3, 3, [0, 1], [0, -1], [1, 1]));
    expect(e2.message).toMatch(/column indices in \[0, 3\), got -1 at entry 1/);
    expect(err(() => CsrMatrix.fromCoo(3, 3, [0, 1], [0], [1, 1])).code).toBe('MMG_E_SHAPE');
    expect(err(() => CsrMatrix.fromCoo(3, 3, [0], [0], [1], { duplicates: 'max' as never })).code).toBe('MMG_E_ARG');
    const p = tensor(Int32Array.from([0, 1]), [2]);
    const j = tensor(Int32Array.from([0]), [1]);
    const v = tensor(Float32Array.from([1, 2]), [2]);
    expect(err(() => new CsrMatrix(1, 1, p, j, v)).code).toBe('MMG_E_SHAPE');
    // A malformed CSR built by hand is caught by the native ops that read it.
    const bad = new CsrMatrix(1, 2, p, tensor(Int32Array.from([7]), [1]), tensor(Float32Array.from([1]), [1]));
    expect(() => bad.transpose()).toThrow(/^csr_transpose: expected A indices in \[0, 2\), got 7 at entry 0 \(row 0\)/);
    bad.dispose();
    v.dispose();
  });
});
