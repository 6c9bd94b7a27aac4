import type { OpCase } from '../cases';
import { randn } from '../cases';

export const cases: OpCase[] = [
  {
    kernel: 'slice_rows',
    dtypes: ['float32', 'float64'],
    tol: {},
    why: 'a copy: exact',
    samples: (rng, dtype) => [
      { inputs: [randn(rng, [10, 3], dtype)], attrs: [2, 7], what: 'middle' },
      { inputs: [randn(rng, [10, 3], dtype)], attrs: [0, 10], what: 'all' },
      { inputs: [randn(rng, [10, 3], dtype)], attrs: [4, 4], what: 'empty' },
    ],
    bad: (rng) => [
      { inputs: [randn(rng, [4, 2], 'float32')], attrs: [3, 2], what: 'start > end' },
      { inputs: [randn(rng, [4, 2], 'float32')], attrs: [0, 5], what: 'end > n' },
    ],
  },
];
