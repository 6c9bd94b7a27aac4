import type { OpCase } from '../cases';
import { randn } from '../cases';

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
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 4], 'float32')], what: 'shape mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2], 'float32')], what: 'wrong broadcast length' },
    ],
  },
];
