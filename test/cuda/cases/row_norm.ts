import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { runOp } from '../../../lib/ops/run';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES = [[7], [0], [1, 1], [3, 4], [1, 300], [129, 257], [2, 40000], [2, 3, 5], [0, 5], [4, 0]];

// A 2-D x with one all-zero row (y = 0 there: dx = 0).
function withZeroRow(rng: Rng, dtype: DType) {
  const v = randn(rng, [4, 6], dtype).toArray();
  for (let j = 6; j < 12; j++) v[j] = 0;
  return tensor(v, [4, 6], { dtype });
}

function backwardSample(rng: Rng, x: ReturnType<typeof randn>, dtype: DType, what: string): Sample {
  const y = runOp('row_norm', [x])[0];
  return { inputs: [x, y, randn(rng, y.shape as number[], dtype)], what };
}

export const cases: OpCase[] = [
  {
    kernel: 'row_norm',
    dtypes: ['float32', 'float64'],
    // Both sum x² per row in double; the CPU in 8 interleaved lanes, the GPU/emu in 256 strided
    // partials and a tree: a float32 norm can flip by 1 ulp on a rare tie.
    tol: { float32: 2e-7, float64: 1e-14 },
    why: 'double row sums of squares in another order',
    samples: (rng, dtype) => [
      ...SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], what: `[${s}]` })),
      { inputs: [withZeroRow(rng, dtype)], what: 'a zero row' },
    ],
    bad: (rng) => [
      { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 x' },
      { inputs: [randn(rng, [], 'float32')], what: 'scalar x' },
    ],
  },
  {
    kernel: 'row_norm_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 0, float64: 0 },
    why: 'the same g/y and one product per element',
    samples: (rng, dtype) => [
      ...SHAPES.map((s) => backwardSample(rng, randn(rng, s, dtype), dtype, `[${s}]`)),
      backwardSample(rng, withZeroRow(rng, dtype), dtype, 'a zero row gives 0'),
    ],
    bad: (rng) => [
      { inputs: [randn(rng, [3, 4], 'float32'), randn(rng, [4], 'float32'), randn(rng, [4], 'float32')], what: 'y of the wrong length' },
      { inputs: [randn(rng, [3, 4], 'float32'), randn(rng, [3], 'float32'), randn(rng, [4], 'float32')], what: 'g shape differs from y' },
      { inputs: [randn(rng, [3, 4], 'float32'), randn(rng, [3], 'float64'), randn(rng, [3], 'float32')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [3, 4], 'float32'), randn(rng, [3, 1], 'float32'), randn(rng, [3, 1], 'float32')], what: 'y with a trailing 1' },
    ],
  },
];
