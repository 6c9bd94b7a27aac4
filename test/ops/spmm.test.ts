import * as fc from 'fast-check';
import { CsrMatrix, MmgError, add, spmm, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { spmmRef } from '../reference/spmm';

describe('spmm', () => {
  const rng = new Rng(11);

  function randomCsr(n: number, m: number, nnz: number, dtype: 'float32' | 'float64', emptyRows: number[] = []): CsrMatrix {
    const rows: number[] = [], cols: number[] = [], vals: number[] = [];
    for (let q = 0; q < nnz; q++) {
      const r = rng.int(n);
      if (emptyRows.includes(r)) continue;
      rows.push(r);
      cols.push(rng.int(m));
      vals.push(rng.normal());
    }
    return CsrMatrix.fromCoo(n, m, rows, cols, vals, { dtype });
  }

  test('forward matches the reference: float32/float64, d in {1, 7, 32, 64, 100}, empty rows, one row, big enough to run in parallel', () => {
    for (const [n, m, nnz] of [[1, 5, 4], [9, 6, 30], [300, 200, 3000], [2000, 1500, 20000]]) {
      for (const d of [1, 7, 32, 64, 100]) {
        if (n === 2000 && d === 100) continue;
        for (const dtype of ['float32', 'float64'] as const) {
          const a = randomCsr(n, m, nnz, dtype, n > 3 ? [0, 3] : []);
          tidy(() => {
            const x = rng.randn([m, d], dtype);
            const y = spmm(a, x);
            expect(y.shape).toEqual([n, d]);
            expectClose(y, spmmRef(a.toArrays(), x.toArray(), d), dtype === 'float32' ? 1e-5 : 1e-12, `spmm ${n}x${m} d=${d} ${dtype}`);
            if (n > 3) for (let c = 0; c < d; c++) expect(y.data()[3 * d + c]).toBe(0); // empty row
          });
          a.dispose();
        }
      }
    }
  });

  test('duplicate entries passed straight to the kernel add up', () => {
    tidy(() => {
      const p = tensor(Int32Array.from([0, 2]), [2]);
      const j = tensor(Int32Array.from([1, 1]), [2]);
      const v = tensor(Float64Array.from([2, 3]), [2]);
      const x = tensor(Float64Array.from([1, 10, 100, 1000]), [2, 2]);
      expect(runOp1('spmm', [p, j, v, x]).toArray()).toEqual([500, 5000]);
    });
  });

  test('backward dX = Aᵀ·g matches finite differences (float64), for a non-symmetric A with empty rows and columns', () => {
    const a = CsrMatrix.fromCoo(4, 5, [0, 0, 1, 3, 3, 3], [1, 4, 4, 0, 1, 4], [0.5, -1, 2, 1.5, 0.25, -0.75], { dtype: 'float64' });
    const x = rng.randn([5, 3], 'float64', true);
    const r = gradcheck((xx) => spmm(a, xx), [x]);
    expect(r.worst && r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
    a.dispose();
  });

  test('addend C: Y = A·X + C is bit-identical to add(spmm(A, X), C), every width path, float32/float64', () => {
    for (const [n, m, nnz] of [[9, 6, 30], [2000, 1500, 20000]]) {
      for (const d of [7, 32, 64]) {
        for (const dtype of ['float32', 'float64'] as const) {
          const a = randomCsr(n, m, nnz, dtype, [0, 3]);
          tidy(() => {
            const x = rng.randn([n === 9 ? 6 : 1500, d], dtype);
            const c = rng.randn([n, d], dtype);
            const y = spmm(a, x, c);
            const want = add(spmm(a, x), c);
            expect(y.toArray()).toEqual(want.toArray());
            for (let q = 0; q < d; q++) expect(y.data()[3 * d + q]).toBe(c.data()[3 * d + q]); // an empty row gives C's row
          });
          a.dispose();
        }
      }
    }
  });

  test('addend backward: dX = Aᵀ·g and dC = g match finite differences (float64)', () => {
    const a = CsrMatrix.fromCoo(4, 5, [0, 0, 1, 3, 3, 3], [1, 4, 4, 0, 1, 4], [0.5, -1, 2, 1.5, 0.25, -0.75], { dtype: 'float64' });
    const x = rng.randn([5, 3], 'float64', true);
    const c = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((xx, cc) => spmm(a, xx, cc), [x, c]);
    expect(r.worst && r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
    c.dispose();
    a.dispose();
  });

  test('addend errors: wrong shape or dtype of C', () => {
    const a = CsrMatrix.fromCoo(2, 3, [0, 1], [2, 0], [1, 1], { dtype: 'float32' });
    tidy(() => {
      const x = tensor(new Float32Array(6), [3, 2]);
      expect(() => spmm(a, x, tensor(new Float32Array(6), [3, 2]))).toThrow(/^spmm: expected C of shape \[2, 2\]/);
      expect(() => spmm(a, x, tensor(new Float64Array(4), [2, 2]))).toThrow(/^spmm: expected C and X to share a dtype/);
    });
    a.dispose();
  });

  test('random sparse products (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 }), (n, m, nnz, d) => {
        const a = randomCsr(n, m, nnz, 'float64');
        tidy(() => {
          const x = rng.randn([m, d]);
          expectClose(spmm(a, x), spmmRef(a.toArrays(), x.toArray(), d), 1e-12);
          const g = rng.randn([n, d]);
          // ⟨A·x, g⟩ = ⟨x, Aᵀ·g⟩: the transpose used by backward is the adjoint.
          const lhs = spmm(a, x).toArray().reduce((s, v, i) => s + v * g.toArray()[i], 0);
          const rhs = spmm(a.transpose(), g).toArray().reduce((s, v, i) => s + v * x.toArray()[i], 0);
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(lhs)));
        });
        a.dispose();
        return true;
      }),
      { numRuns: 50 },
    );
  });

  test('errors name the op and what it expected; the process survives', () => {
    const a = CsrMatrix.fromCoo(2, 3, [0, 1], [2, 0], [1, 1], { dtype: 'float32' });
    tidy(() => {
      expect(() => spmm(a, tensor(new Float32Array(8), [4, 2]))).toThrow(/^spmm: expected X of shape \[3, d\] for A 2x3, got \[4, 2\]/);
      let e: MmgError | null = null;
      try {
        spmm(a, tensor(new Float64Array(6), [3, 2]));
      } catch (x) {
        e = x as MmgError;
      }
      expect(e?.code).toBe('MMG_E_DTYPE');
      expect(e?.message).toMatch(/^spmm: expected X and values to share a dtype/);
      // Raw kernel: index out of range for X's rows, broken indptr.
      const p = tensor(Int32Array.from([0, 1, 2]), [3]);
      const v = tensor(Float32Array.from([1, 1]), [2]);
      const x = tensor(new Float32Array(6), [3, 2]);
      expect(() => runOp1('spmm', [p, tensor(Int32Array.from([0, 3]), [2]), v, x])).toThrow(/^spmm: expected A indices in \[0, 3\), got 3 at entry 1 \(row 1\)/);
      expect(() => runOp1('spmm', [tensor(Int32Array.from([0, 2, 1]), [3]), tensor(Int32Array.from([0, 1]), [2]), v, x])).toThrow(/^spmm: expected a non-decreasing A indptr/);
      expect(spmm(a, tensor(new Float32Array(6), [3, 2])).shape).toEqual([2, 2]);
    });
    a.dispose();
    expect(() => spmm(a, tensor(new Float32Array(6), [3, 2]))).toThrow(/^spmm: expected a live CsrMatrix/);
  });
});
