import type { OpCase } from '../cases';
import { randint, randn } from '../cases';
import { tensor } from '../../../lib/tensor';

export const cases: OpCase[] = [
  {
    kernel: 'scatter_add_rows',
    dtypes: ['float32', 'float64'],
    // cuda-emu adds in the CPU's order (exact). On a GPU atomicAdd's order varies: repeated
    // destinations may differ by a few ulps of the row sums.
    tol: { float32: 1e-6, float64: 1e-14 },
    why: 'exact on cuda-emu; atomic order on a GPU',
    samples: (rng, dtype) => [
      { inputs: [randn(rng, [40, 6], dtype), randint(rng, [40], 5, 'int32')], attrs: [5], what: 'many repeats' },
      { inputs: [randn(rng, [9, 70], dtype), randint(rng, [9], 20, 'int64')], attrs: [20], what: 'empty destination rows' },
      { inputs: [randn(rng, [0, 3], dtype), tensor([], [0], { dtype: 'int32' })], attrs: [4], what: 'no sources' },
      { inputs: [randn(rng, [3, 2], dtype), tensor([0, 0, 0], [3], { dtype: 'int32' })], attrs: [1], what: 'one destination' },
    ],
    bad: (rng) => [
      { inputs: [randn(rng, [3, 2], 'float32'), tensor([0, 3, 1], [3], { dtype: 'int32' })], attrs: [3], what: 'index = n' },
      { inputs: [randn(rng, [3, 2], 'float32'), tensor([0, 1], [2], { dtype: 'int32' })], attrs: [3], what: 'idx length' },
      { inputs: [randn(rng, [3, 2], 'float32'), tensor([0, 1, 2], [3], { dtype: 'int32' })], attrs: [-1], what: 'negative n' },
    ],
  },
];
