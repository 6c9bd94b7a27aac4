import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { runOp } from '../../../lib/ops/run';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES = [[7], [1, 1], [3, 4], [1, 300], [129, 257], [2, 40000], [2, 3, 5], [0, 5], [4, 0]];

function scaled(rng: Rng, s: number[], dtype: DType, k: number) {
  return tensor(randn(rng, s, dtype).toArray().map((v) => v * k), s, { dtype });
}

// Rows with −inf entries, an all −inf row (NaN on both) and a +inf entry (NaN row).
function infinities(dtype: DType) {
  const I = Infinity;
  return tensor([0.5, -I, 2, -1, -I, -I, -I, -I, 1, I, 0, 3], [3, 4], { dtype });
}

function forward(rng: Rng, dtype: DType): Sample[] {
  return [
    ...SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype)], what: `[${s}]` })),
    { inputs: [scaled(rng, [16, 33], dtype, 100)], what: 'large logits (max subtraction)' },
    { inputs: [infinities(dtype)], what: '±inf entries' },
  ];
}

function backward(rng: Rng, dtype: DType): Sample[] {
  return [
    ...SHAPES.map((s) => ({ inputs: [runOp('row_softmax', [randn(rng, s, dtype)])[0], randn(rng, s, dtype)], what: `[${s}]` })),
    { inputs: [runOp('row_softmax', [scaled(rng, [16, 33], dtype, 10)])[0], scaled(rng, [16, 33], dtype, 5)], what: 'peaked rows' },
  ];
}

export const cases: OpCase[] = [
  {
    kernel: 'row_softmax',
    dtypes: ['float32', 'float64'],
    // The max is exact and the exp values are the same on emu (glibc); 1/Σ comes from a double row
    // sum in another order (a float32 scale flips by 1 ulp on a rare tie). On a GPU, CUDA's
    // expf is within 2 ulp (exp within 1) of glibc's, so each y can differ by ~3 float32 ulps.
    tol: { float32: 5e-7, float64: 1e-14 },
    why: 'double row sums in another order; CUDA exp vs glibc on a GPU',
    samples: forward,
    bad: (rng) => [
      { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 x' },
      { inputs: [randn(rng, [], 'float32')], what: 'scalar x' },
    ],
  },
  {
    kernel: 'row_softmax_backward',
    dtypes: ['float32', 'float64'],
    // dot = T(Σ y·g) from a double row sum in another order; y·(g − dot) then shows a 1-ulp flip
    // of dot relative to the largest |dx|.
    tol: { float32: 1e-6, float64: 1e-14 },
    why: 'double row sums in another order',
    samples: backward,
    bad: (rng) => [
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: 'g shape differs' },
      { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [2, 3], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [], 'float32'), randn(rng, [], 'float32')], what: 'scalar y' },
    ],
  },
];
