import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

// [p, seed_lo, seed_hi]: p = 0 keeps everything, a p just below 1 drops nearly everything.
const ATTRS = [[0.5, 7, 0], [0, 1, 2], [0.1, 4294967295, 4294967295], [0.9, 0, 0], [0.999999, 3, 1], [1 / 3, 99, 12345]];
const SHAPES = [[1], [], [7, 3], [129, 257], [2, 3, 5], [0, 4]];

export const cases: OpCase[] = [
  {
    kernel: 'dropout',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'integer hash decides, 1/(1−p) computed once on the host, one product: bit-identical',
    samples: (rng, dtype) => [
      ...ATTRS.flatMap((attrs) => SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], attrs, what: `[${s}] attrs [${attrs}]` }))),
      {
        inputs: [tensor([0, -0, Infinity, -Infinity, NaN, 1e30, -1e-30, 3], [8], { dtype })],
        attrs: [0.5, 11, 0],
        what: 'special values',
      },
    ],
    bad: (rng) => {
      const x = randn(rng, [3], 'float32');
      return [
        { inputs: [x], attrs: [1, 0, 0], what: 'p = 1' },
        { inputs: [x], attrs: [-0.1, 0, 0], what: 'negative p' },
        { inputs: [x], attrs: [NaN, 0, 0], what: 'NaN p' },
        { inputs: [x], attrs: [0.5, -1, 0], what: 'negative seed_lo' },
        { inputs: [x], attrs: [0.5, 0, 2 ** 32], what: 'seed_hi = 2^32' },
        { inputs: [x], attrs: [0.5, 1.5, 2.5], what: 'fractional halves (seed_hi is reported)' },
        { inputs: [x], attrs: [0.5, 1], what: 'two attributes' },
        { inputs: [x], what: 'no attributes' },
        { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], attrs: [0.5, 1, 2], what: 'int32 X' },
        { inputs: [x, x], attrs: [0.5, 1, 2], what: 'two inputs' },
      ];
    },
  },
  {
    kernel: 'dropout_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'one product per element: exact',
    samples: (rng, dtype) =>
      [[1], [], [7, 3], [129, 257], [0, 4]].map((s) => {
        const mask = tensor(
          Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (rng.uniform() < 0.3 ? 0 : 1 / 0.7)),
          s,
          { dtype },
        );
        return { inputs: [randn(rng, s, dtype), mask], what: `[${s}]` };
      }),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: 'shape mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
      { inputs: [tensor([1], [1], { dtype: 'int32' }), tensor([1], [1], { dtype: 'int32' })], what: 'int32 inputs' },
      { inputs: [randn(rng, [2, 3], 'float32')], what: 'one input' },
    ],
  },
];
