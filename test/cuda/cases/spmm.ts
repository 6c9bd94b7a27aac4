import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const i32 = (v: number[]): Tensor => tensor(Int32Array.from(v), [v.length]);

/** A random CSR [n × m] with about nnz entries (duplicates allowed, some rows empty), rows in stored order. */
function csr(rng: Rng, n: number, m: number, nnz: number, dtype: DType): Tensor[] {
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let q = 0; q < nnz; q++) {
    const r = rng.int(n);
    if (n > 3 && r % 4 === 1) continue; // every 4th row stays empty
    rows[r].push(rng.int(m));
  }
  const p = [0];
  const j: number[] = [];
  for (const row of rows) {
    j.push(...row);
    p.push(j.length);
  }
  return [i32(p), i32(j), randn(rng, [j.length], dtype)];
}

export const cases: OpCase[] = [
  {
    kernel: 'spmm',
    dtypes: ['float32', 'float64'],
    // cuda-emu: the cusparseSpMM model sums each row in stored order like the CPU, so only FMA
    // contraction differs; on a GPU cuSPARSE's CSR_ALG2 splits and orders each row's sum its own way.
    tol: { float32: 1e-5, float64: 1e-12 },
    why: 'row sums of up to ~40 products in another order / with FMA',
    samples: (rng, dtype) => {
      const s = (a: Tensor[], m: number, d: number, what: string) => ({ inputs: [...a, randn(rng, [m, d], dtype)], what });
      return [
        s(csr(rng, 9, 6, 30, dtype), 6, 7, '9x6, duplicates and empty rows, d=7'),
        s(csr(rng, 40, 25, 400, dtype), 25, 32, '40x25, d=32'),
        s(csr(rng, 30, 50, 200, dtype), 50, 64, '30x50, d=64'),
        s(csr(rng, 300, 200, 3000, dtype), 200, 16, '300x200 nnz 3000, d=16'),
        s(csr(rng, 1, 5, 4, dtype), 5, 1, 'one row, d=1'),
        s([i32([0, 2]), i32([1, 1]), randn(rng, [2], dtype)], 2, 3, 'one row, the same column twice'),
        { inputs: [...csr(rng, 40, 25, 400, dtype), randn(rng, [25, 64], dtype), randn(rng, [40, 64], dtype)], what: '40x25, d=64, addend C' },
        { inputs: [i32([0, 0, 0, 0]), i32([]), randn(rng, [0], dtype), randn(rng, [5, 3], dtype), randn(rng, [3, 3], dtype)], what: 'no entries, addend C (Y = C)' },
        s([i32([0]), i32([]), randn(rng, [0], dtype)], 4, 3, 'no rows'),
        s([i32([0, 0, 0, 0]), i32([]), randn(rng, [0], dtype)], 5, 3, 'no entries (zeros)'),
        s(csr(rng, 6, 4, 10, dtype), 4, 0, 'd=0'),
        s([i32([0, 0, 0]), i32([]), randn(rng, [0], dtype)], 0, 2, 'X with no rows'),
      ];
    },
    bad: (rng) => {
      const x = (m: number, d = 2, dt: DType = 'float32') => randn(rng, [m, d], dt);
      const v = (n: number, dt: DType = 'float32') => randn(rng, [n], dt);
      return [
        { inputs: [i32([1, 2, 3]), i32([0, 1, 2]), v(3), x(4)], what: 'indptr[0] != 0' },
        { inputs: [i32([0, 2, 1, 3]), i32([0, 1, 2]), v(3), x(4)], what: 'decreasing indptr (row 1)' },
        { inputs: [i32([0, 1, 0, 2, 1, 3]), i32([0, 1, 2]), v(3), x(4)], what: 'decreasing indptr twice (first is row 1)' },
        { inputs: [i32([0, 1, 2]), i32([0, 1, 2]), v(3), x(4)], what: 'indptr end != nnz' },
        { inputs: [i32([0, 2, 4]), i32([0, 1, 4, -1]), v(4), x(4)], what: 'indices = n_cols then negative (first bad: entry 2, row 1)' },
        { inputs: [i32([0, 0, 3, 3]), i32([0, -2, 1]), v(3), x(4)], what: 'negative index after an empty row' },
        { inputs: [i32([0, 2, 1]), i32([9]), v(2), x(4)], what: 'bad indptr and bad index and wrong values length: indptr first' },
        { inputs: [i32([0, 1, 2]), i32([0, 7]), v(3), x(4)], what: 'bad index before the values length check' },
        { inputs: [i32([0, 1, 2]), i32([0, 1]), v(3), x(4)], what: 'values length != nnz' },
        { inputs: [i32([]), i32([]), v(0), x(4)], what: 'empty indptr' },
        { inputs: [tensor([0, 1], [2], { dtype: 'int64' }), i32([0]), v(1), x(4)], what: 'int64 indptr' },
        { inputs: [i32([0, 1]), tensor([0], [1], { dtype: 'int64' }), v(1), x(4)], what: 'int64 indices' },
        { inputs: [i32([0, 1]), i32([0]), v(1, 'float64'), x(4)], what: 'mixed dtypes' },
        { inputs: [i32([0, 1]), i32([0]), tensor([1], [1], { dtype: 'int32' }), tensor([1, 2], [1, 2], { dtype: 'int32' })], what: 'int32 X' },
        { inputs: [i32([0, 1]), i32([0]), randn(rng, [1, 1], 'float32'), x(4)], what: '2-D values' },
        { inputs: [i32([0, 1]), i32([0]), v(1), randn(rng, [4], 'float32')], what: '1-D X' },
        { inputs: [i32([0, 1]), i32([0]), v(1)], what: 'three inputs' },
        { inputs: [i32([0, 1]), i32([0]), v(1), x(4), x(2)], what: 'addend C with the wrong number of rows' },
        { inputs: [i32([0, 1]), i32([0]), v(1), x(4), x(1, 2, 'float64')], what: 'addend C of another dtype' },
      ];
    },
  },
];
