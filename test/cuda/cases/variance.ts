import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES = [[1], [2], [3, 4], [2, 3, 5], [129, 257], [2, 40000], [0, 5]];

// Shifted data (mean 3) so the mean pass matters; n ≤ correction gives NaN.
function shifted(rng: Rng, s: number[], dtype: DType) {
  const x = randn(rng, s, dtype);
  return tensor(x.toArray().map((v) => v + 3), s, { dtype });
}

function samples(rng: Rng, dtype: DType, backward: boolean): Sample[] {
  const g = () => (backward ? [tensor([0.7], [], { dtype })] : []);
  return [0, 1].flatMap((corr) => [
    ...SHAPES.map((s) => ({ inputs: [shifted(rng, s, dtype), ...g()], attrs: [corr], what: `[${s}] correction ${corr}` })),
    { inputs: [shifted(rng, [5, 7], dtype), ...g()], what: 'default correction' },
  ]);
}

export const cases: OpCase[] = [
  {
    kernel: 'variance',
    dtypes: ['float32', 'float64'],
    // Mean, then Σ (x − mean)², both in double; the CPU in 8 lanes per 32768-element chunk, the
    // GPU/emu in blocks of 256 strided partials and a tree (an error in the mean enters Σ (x − mean)²
    // only to second order).
    tol: { float32: 2e-7, float64: 1e-13 },
    why: 'two double passes in another order',
    samples: (rng, dtype) => samples(rng, dtype, false),
    bad: (rng) => [
      { inputs: [randn(rng, [3], 'float32')], attrs: [2], what: 'correction 2' },
      { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 x' },
    ],
  },
  {
    kernel: 'variance_backward',
    dtypes: ['float32', 'float64'],
    // The same k·(x − mean) per element; only the mean's last bits can differ (its double sum order).
    tol: { float32: 2e-7, float64: 1e-14 },
    why: 'the mean is a double sum in another order',
    samples: (rng, dtype) => samples(rng, dtype, true),
    bad: (rng) => [
      { inputs: [randn(rng, [3], 'float32'), randn(rng, [2], 'float32')], what: 'non-scalar g' },
      { inputs: [randn(rng, [3], 'float32'), randn(rng, [], 'float64')], what: 'mixed dtypes' },
      { inputs: [randn(rng, [3], 'float32'), randn(rng, [], 'float32')], attrs: [-1], what: 'correction -1' },
    ],
  },
];
