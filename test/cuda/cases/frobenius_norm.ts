import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

const SHAPES = [[1], [3, 4], [1, 300], [129, 257], [2, 40000], [0, 5]];

export const cases: OpCase[] = [
  {
    kernel: 'frobenius_norm',
    dtypes: ['float32', 'float64'],
    // Both accumulate x² in double; the CPU in 65536-element chunks, the GPU/emu in 16384-element
    // blocks with 256 strided partials and a tree, so only the double sums' order differs.
    tol: { float32: 1e-7, float64: 1e-14 },
    why: 'double accumulation in a different order',
    samples: (rng, dtype) => SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], what: `[${s}]` })),
    bad: () => [{ inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 input' }],
  },
  {
    kernel: 'frobenius_norm_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 1e-7, float64: 1e-16 },
    why: 'one product per element (g/y computed once on both)',
    samples: (rng, dtype) => [
      ...SHAPES.map((s) => ({
        inputs: [randn(rng, s, dtype), tensor([2.5], [], { dtype }), tensor([-0.75], [], { dtype })],
        what: `[${s}]`,
      })),
      { inputs: [randn(rng, [4, 4], dtype), tensor([0], [], { dtype }), tensor([1], [], { dtype })], what: 'y = 0 gives 0' },
    ],
    bad: (rng) => [
      { inputs: [randn(rng, [2, 2], 'float32'), randn(rng, [2], 'float32'), randn(rng, [1], 'float32')], what: 'non-scalar y' },
      { inputs: [randn(rng, [2, 2], 'float32'), randn(rng, [1], 'float64'), randn(rng, [1], 'float32')], what: 'mixed dtypes' },
    ],
  },
];
