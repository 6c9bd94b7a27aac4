import type { OpCase } from '../cases';
import { randint, randn } from '../cases';
import { type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

// [shape, attrs]
const SAMPLES: Array<[number[], number[]]> = [
  [[3, 4], [12]], [[3, 4], [-1]], [[3, 4], [2, -1]], [[2, 3, 4], [4, 3, 2, 1]], [[1], []], [[], [1, 1, 1, 1]],
  [[0, 3], [3, 0]], [[0, 3], [5, 0, 2]], [[6], [-1, 3]], [[300, 64], [64, 300]],
];

const make = (rng: Rng, s: number[], dtype: DType) =>
  dtype === 'int32' || dtype === 'int64' ? randint(rng, s, 1000, dtype) : randn(rng, s, dtype);

export const cases: OpCase[] = [
  {
    kernel: 'reshape',
    dtypes: ['float32', 'float64', 'int32', 'int64'],
    tol: { float32: 0, float64: 0 },
    why: 'a byte copy',
    samples: (rng, dtype) => SAMPLES.map(([s, attrs]) => ({ inputs: [make(rng, s, dtype)], attrs, what: `[${s}] -> [${attrs}]` })),
    bad: (rng) => [
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [5, -1], what: '-1 that does not fit' },
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [-1, -1], what: 'two -1' },
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [-2, 6], what: 'a dimension -2' },
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [5, 2], what: 'wrong element count' },
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [1, 1, 1, 3, 4], what: 'five dimensions' },
      { inputs: [randn(rng, [0, 4], 'float32')], attrs: [0, -1], what: '-1 next to a 0' },
      { inputs: [randn(rng, [3, 4], 'float32')], attrs: [2.5, 4], what: 'non-integer dimension' },
    ],
  },
];
