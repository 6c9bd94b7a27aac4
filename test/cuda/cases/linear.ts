import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

// [n, in, out]
const SHAPES: Array<[number, number, number]> = [[1, 1, 1], [5, 7, 3], [64, 33, 16], [300, 64, 64], [0, 4, 3], [4, 0, 3], [3, 4, 0]];

export const cases: OpCase[] = [
  {
    kernel: 'linear',
    dtypes: ['float32', 'float64'],
    // cuda-emu hands the gemm descriptor to the host cuBLAS model, which makes the CPU's own gemm
    // call (identical results); on a GPU cuBLAS sums the in-term dot products in its own order
    // (and adds b after the product instead of accumulating onto it).
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'cuBLAS dot products in another order',
    samples: (rng, dtype) =>
      [true, false].flatMap((bias) =>
        SHAPES.map(([n, i, o]) => ({
          inputs: [randn(rng, [n, i], dtype), randn(rng, [o, i], dtype), bias ? randn(rng, [o], dtype) : null],
          what: `x [${n}, ${i}], W [${o}, ${i}]${bias ? ', b' : ', no b'}`,
        })),
      ),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [4, 2], 'float32')], what: 'W with another in' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [4, 3], 'float32'), randn(rng, [3], 'float32')], what: 'b of the wrong length' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [4, 3], 'float32'), randn(rng, [4], 'float64')], what: 'b dtype' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [4, 3], 'float64')], what: 'W dtype' },
      { inputs: [randn(rng, [3], 'float32'), randn(rng, [4, 3], 'float32')], what: '1-D x' },
      { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' }), tensor([1, 2], [1, 2], { dtype: 'int32' })], what: 'int32 inputs' },
    ],
  },
];
