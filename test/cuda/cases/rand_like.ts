import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

// [seed_lo, seed_hi] halves of the 64-bit seed, including 0 and the largest.
const SEEDS = [[0, 0], [1, 0], [123456789, 42], [4294967295, 4294967295], [0, 1]];
const SHAPES = [[1], [], [7, 3], [129, 257], [2, 3, 5], [0, 4]];

export const cases: OpCase[] = [
  {
    kernel: 'rand_like',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'integer hash of (seed, i) and an exact conversion: bit-identical',
    samples: (rng, dtype) =>
      SEEDS.flatMap((seed) => SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], attrs: seed, what: `[${s}] seed [${seed}]` }))),
    bad: (rng) => {
      const x = randn(rng, [3], 'float32');
      return [
        { inputs: [x], attrs: [-1, 0], what: 'negative seed_lo' },
        { inputs: [x], attrs: [0, 4294967296], what: 'seed_hi = 2^32' },
        { inputs: [x], attrs: [0.5, 0], what: 'fractional seed_lo' },
        { inputs: [x], attrs: [NaN, NaN], what: 'both halves NaN (seed_hi is reported)' },
        { inputs: [x], attrs: [1], what: 'one attribute' },
        { inputs: [x], what: 'no attributes' },
        { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], attrs: [1, 2], what: 'int32 X' },
        { inputs: [x, x], attrs: [1, 2], what: 'two inputs' },
      ];
    },
  },
];
