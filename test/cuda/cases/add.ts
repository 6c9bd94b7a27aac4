import type { OpCase } from '../cases';
import { randn } from '../cases';

const badBinary = (rng: import('../../harness/rng').Rng) => [
  { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 4], 'float32')], what: 'shape mismatch' },
  { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: "A's element count, another shape" },
  { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
  { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2], 'float32')], what: 'wrong broadcast length' },
  { inputs: [randn(rng, [2, 3], 'float32')], what: 'one input' },
];

// [g's shape, B's shape] for add_backward: no broadcast, and row-vector broadcasts whose column
// sums use one chunk, several, and the maximum number (256 chunks of > 64 rows); empty rows give 0.
const BACKWARD: Array<[number[], number[]]> = [
  [[5, 7], [5, 7]],
  [[6, 4], [4]],
  [[1, 9], [9]],
  [[3, 2, 5], [1, 5]],
  [[1000, 7], [7]],
  [[20000, 3], [1, 3]],
  [[129, 257], [257]],
  [[0, 3], [3]],
  [[4, 0], [0]],
];

export const cases: OpCase[] = [
  {
    kernel: 'add',
    dtypes: ['float32', 'float64'],
    tol: { float32: 1e-6, float64: 1e-15 },
    why: 'one rounding per element; a GPU may fuse alpha·b + a into one FMA',
    samples: (rng, dtype) => [
      { inputs: [randn(rng, [5, 7], dtype), randn(rng, [5, 7], dtype)], attrs: [1], what: 'same shape' },
      { inputs: [randn(rng, [33, 300], dtype), randn(rng, [33, 300], dtype)], attrs: [-0.5], what: 'alpha -0.5' },
      { inputs: [randn(rng, [6, 4], dtype), randn(rng, [4], dtype)], attrs: [2], what: 'row-vector broadcast [4]' },
      { inputs: [randn(rng, [1, 9], dtype), randn(rng, [1, 9], dtype)], what: 'one row, default alpha' },
      { inputs: [randn(rng, [3, 2, 5], dtype), randn(rng, [1, 5], dtype)], attrs: [1], what: '3-D with [1, cols] broadcast' },
      { inputs: [randn(rng, [0, 3], dtype), randn(rng, [0, 3], dtype)], attrs: [1], what: 'empty' },
    ],
    bad: badBinary,
  },
  {
    kernel: 'sub',
    dtypes: ['float32', 'float64'],
    // a + (−1)·b: the product is exact, so an FMA rounds once like the CPU's addition.
    tol: { float32: 0, float64: 0 },
    why: 'one correctly rounded difference per element: exact',
    samples: (rng, dtype) => [
      { inputs: [randn(rng, [5, 7], dtype), randn(rng, [5, 7], dtype)], what: 'same shape' },
      { inputs: [randn(rng, [6, 4], dtype), randn(rng, [4], dtype)], what: 'row-vector broadcast [4]' },
      { inputs: [randn(rng, [3, 2, 5], dtype), randn(rng, [1, 5], dtype)], what: '3-D with [1, cols] broadcast' },
      { inputs: [randn(rng, [33, 300], dtype), randn(rng, [33, 300], dtype)], attrs: [3], what: 'an attr is ignored' },
      { inputs: [randn(rng, [0, 3], dtype), randn(rng, [3], dtype)], what: 'empty' },
    ],
    bad: badBinary,
  },
  {
    kernel: 'add_backward',
    dtypes: ['float32', 'float64'],
    // Without broadcast one product alpha·g (exact). With broadcast the column sums of g in double
    // (CPU: ≤ 64 row blocks; GPU/emu: ≤ 256 chunks of ≥ 64 rows), times alpha, cast to the dtype.
    // Measured on cuda-emu: float64 ≤ 2.7e-15 (20000 rows), float32 0.
    tol: { float32: 1e-7, float64: 1e-13 },
    why: 'broadcast column sums in double, in another order than the CPU',
    samples: (rng, dtype) =>
      [[1], [-0.5], undefined].flatMap((attrs) =>
        BACKWARD.map(([g, b]) => ({ inputs: [randn(rng, g, dtype), randn(rng, b, dtype)], attrs, what: `g [${g}], B [${b}], attrs [${attrs ?? ''}]` })),
      ),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 4], 'float32')], what: 'shape mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: "g's element count, another shape" },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [2, 3], 'float32')], what: 'one input' },
    ],
  },
];
