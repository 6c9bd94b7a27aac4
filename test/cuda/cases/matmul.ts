import type { OpCase } from '../cases';
import { randn } from '../cases';
import { tensor } from '../../../lib/tensor';

const FLAGS: Array<[number, number]> = [[0, 0], [1, 0], [0, 1], [1, 1]];
const SHAPES: Array<[number, number, number]> = [[1, 1, 1], [1, 7, 3], [5, 1, 4], [13, 37, 29], [64, 33, 1], [7, 0, 3], [0, 4, 2]];

export const cases: OpCase[] = [
  {
    kernel: 'matmul',
    dtypes: ['float32', 'float64'],
    // cuda-emu: the same CPU gemm with operands swapped (Cᵀ = Bᵀ·Aᵀ), so the blocking and rounding
    // differ slightly; on a GPU cuBLAS's own summation order and FMA.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'k-term dot products summed in a different order',
    samples: (rng, dtype) =>
      FLAGS.flatMap(([ta, tb]) =>
        SHAPES.map(([m, k, n]) => ({
          inputs: [randn(rng, ta ? [k, m] : [m, k], dtype), randn(rng, tb ? [n, k] : [k, n], dtype)],
          attrs: [ta, tb],
          what: `${m}x${k}x${n} transA=${ta} transB=${tb}`,
        })),
      ),
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [4, 2], 'float32')], what: 'inner dimensions differ' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [3], 'float32'), randn(rng, [3, 2], 'float32')], what: '1-D A' },
      { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' }), tensor([1, 2], [2, 1], { dtype: 'int32' })], what: 'int32 inputs' },
    ],
  },
];
