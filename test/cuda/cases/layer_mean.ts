import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

// [layers, shape]: 33 and 70 layers take several launches of 32 layers on the GPU.
const SAMPLES: Array<[number, number[]]> = [[1, [5, 7]], [3, [100, 64]], [4, [3, 2, 4]], [2, [1]], [3, [0, 4]], [33, [9, 5]], [70, [4, 3]]];

export const cases: OpCase[] = [
  {
    kernel: 'layer_mean',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'the same double sum in layer order and one division per element',
    samples: (rng, dtype) =>
      SAMPLES.map(([L, s]) => ({ inputs: Array.from({ length: L }, () => randn(rng, s, dtype)), what: `${L} layers of [${s}]` })),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: 'shape mismatch' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
      { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 layers' },
    ],
  },
];
