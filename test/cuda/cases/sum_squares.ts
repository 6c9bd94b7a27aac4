import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

const SHAPES = [[1], [], [3, 4], [2, 3, 5], [129, 257], [2, 40000], [0, 5]];

export const cases: OpCase[] = [
  {
    kernel: 'sum_squares',
    dtypes: ['float32', 'float64'],
    // Both sum x² in double (positive terms, no cancellation); the CPU in 8 lanes per 32768-element
    // chunk, the GPU/emu in 16384-element blocks of 256 strided partials and a tree.
    tol: { float32: 2e-7, float64: 1e-13 },
    why: 'double sum of squares in another order',
    samples: (rng, dtype) => SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], what: `[${s}]` })),
    bad: () => [{ inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 x' }],
  },
  {
    kernel: 'sum_squares_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'the same (2·g)·x per element',
    samples: (rng, dtype) => SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype), tensor([-0.3], [], { dtype })], what: `[${s}]` })),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 2], 'float32'), randn(rng, [2], 'float32')], what: 'non-scalar g' },
      { inputs: [randn(rng, [2, 2], 'float32'), randn(rng, [], 'float64')], what: 'mixed dtypes' },
    ],
  },
];
