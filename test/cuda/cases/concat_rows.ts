import type { OpCase } from '../cases';
import { randint, randn } from '../cases';

export const cases: OpCase[] = [
  {
    kernel: 'concat_rows',
    dtypes: ['float32', 'float64', 'int64'],
    tol: {},
    why: 'a copy: exact',
    samples: (rng, dtype) => {
      const x = (s: number[]) => (dtype === 'int64' ? randint(rng, s, 100, dtype) : randn(rng, s, dtype));
      return [
        { inputs: [x([3, 4]), x([5, 4]), x([1, 4])], what: 'three pieces' },
        { inputs: [x([2, 7])], what: 'one piece' },
        { inputs: [x([0, 3]), x([2, 3]), x([0, 3])], what: 'empty pieces' },
      ];
    },
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 4], 'float32')], what: 'column mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'dtype mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3], 'float32')], what: '1-D piece' },
    ],
  },
];
