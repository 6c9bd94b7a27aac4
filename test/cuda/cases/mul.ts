import type { OpCase } from '../cases';
import { randn } from '../cases';

// [A's shape, B's shape]: same shape, row-vector broadcasts ([cols] and [1, cols]), 3-D, one row,
// empty and zero-column operands, and enough rows for the backward's column sum to use one chunk,
// several chunks, and the maximum number of chunks (256 chunks of > 64 rows).
const SHAPES: Array<[number[], number[]]> = [
  [[5, 7], [5, 7]],
  [[33, 300], [33, 300]],
  [[6, 4], [4]],
  [[1, 9], [1, 9]],
  [[1, 9], [9]],
  [[3, 2, 5], [1, 5]],
  [[1000, 7], [7]],
  [[20000, 3], [1, 3]],
  [[129, 257], [257]],
  [[0, 3], [3]],
  [[0, 3], [0, 3]],
  [[4, 0], [0]],
];

export const cases: OpCase[] = [
  {
    kernel: 'mul',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'one product per element: exact',
    samples: (rng, dtype) => SHAPES.map(([a, b]) => ({ inputs: [randn(rng, a, dtype), randn(rng, b, dtype)], what: `[${a}] ⊙ [${b}]` })),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 4], 'float32')], what: 'shape mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: "A's element count, another shape" },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2], 'float32')], what: 'wrong broadcast length' },
      { inputs: [randn(rng, [2, 3], 'float32')], what: 'one input' },
    ],
  },
  {
    kernel: 'mul_backward',
    dtypes: ['float32', 'float64'],
    // Without broadcast one product per element (exact). With broadcast the column sums of g·A
    // in double: the CPU cuts the rows into ≤ 64 blocks, the GPU/emu into ≤ 256 chunks of ≥ 64
    // rows, so only the order of the double additions differs (float32 outputs: at most one
    // rounding flip of the final cast); a GPU may also fuse g·A into the accumulation. Measured on
    // cuda-emu: float64 ≤ 1.7e-15, float32 0.
    tol: { float32: 1e-7, float64: 1e-13 },
    why: 'broadcast column sums in double, in another order than the CPU',
    samples: (rng, dtype) =>
      SHAPES.map(([a, b]) => ({ inputs: [randn(rng, a, dtype), randn(rng, a, dtype), randn(rng, b, dtype)], what: `g, A [${a}], B [${b}]` })),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [2], 'float32')], what: 'g and A shapes' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float32'), randn(rng, [2], 'float32')], what: 'wrong broadcast length' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64'), randn(rng, [3], 'float32')], what: 'A dtype' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float32'), randn(rng, [3], 'float64')], what: 'B dtype' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float32')], what: 'two inputs' },
    ],
  },
];
