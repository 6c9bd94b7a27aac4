import type { OpCase } from '../cases';
import { randn } from '../cases';
import { unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  unaryCase('scale', { float32: 1e-6, float64: 1e-15 }, 'x·alpha + beta may contract into one FMA on a GPU (one rounding fewer)', {
    attrs: [undefined, [2.5], [-0.75, 0.25], [1e-3, -3], [0, 1]],
    bad: (rng) => [
      { inputs: [randn(rng, [2, 2], 'float32')], attrs: [Infinity, 0], what: 'infinite alpha' },
      { inputs: [randn(rng, [2, 2], 'float32')], attrs: [1, NaN], what: 'NaN beta' },
      // The attributes are checked before the inputs, as on the CPU.
      { inputs: [randn(rng, [2, 2], 'float32'), randn(rng, [2, 2], 'float32')], attrs: [NaN], what: 'NaN alpha and two inputs' },
    ],
  }),
];
