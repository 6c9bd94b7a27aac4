import type { OpCase } from '../cases';
import { randint, randn } from '../cases';
import { tensor } from '../../../lib/tensor';

export const cases: OpCase[] = [
  {
    kernel: 'gather_rows',
    dtypes: ['float32', 'float64', 'int32', 'int64'],
    tol: {},
    why: 'a copy: exact',
    samples: (rng, dtype) => {
      const x = (s: number[]) =>
        dtype === 'float32' || dtype === 'float64' ? randn(rng, s, dtype) : randint(rng, s, 1000, dtype);
      return [
        { inputs: [x([10, 4]), randint(rng, [25], 10, 'int32')], what: 'repeats, int32 idx' },
        { inputs: [x([7, 33]), randint(rng, [3], 7, 'int64')], what: 'int64 idx' },
        { inputs: [x([1, 5]), tensor([0, 0, 0], [3], { dtype: 'int32' })], what: 'one row repeated' },
        { inputs: [x([4, 3]), tensor([], [0], { dtype: 'int32' })], what: 'no indices' },
        { inputs: [x([4, 0]), randint(rng, [6], 4, 'int32')], what: 'zero columns' },
      ];
    },
    bad: (rng) => [
      { inputs: [randn(rng, [4, 2], 'float32'), tensor([0, 4, -1], [3], { dtype: 'int32' })], what: 'index = n (first bad is #1)' },
      { inputs: [randn(rng, [4, 2], 'float32'), tensor([2, -1], [2], { dtype: 'int64' })], what: 'negative int64 index' },
      { inputs: [randn(rng, [4, 2], 'float32'), tensor([0, 1], [2], { dtype: 'float32' })], what: 'float indices' },
      { inputs: [randn(rng, [4], 'float32'), tensor([0], [1], { dtype: 'int32' })], what: '1-D X' },
    ],
  },
];
