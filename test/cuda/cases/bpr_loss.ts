import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES: Array<[number, number]> = [[1, 4], [17, 8], [300, 64], [5, 1]];
function uvn(rng: Rng, [b, d]: [number, number], dtype: DType, scale = 1) {
  const t = () => randn(rng, [b, d], dtype);
  const u = t();
  if (scale !== 1) {
    const big = tensor(u.toArray().map((v) => v * scale), [b, d], { dtype });
    return [big, t(), t()];
  }
  return [u, t(), t()];
}
const bad = (rng: Rng, extra: number): Sample[] => {
  const g = extra ? [tensor([1], [], { dtype: 'float32' })] : [];
  return [
    { inputs: [randn(rng, [3, 2], 'float32'), randn(rng, [3, 3], 'float32'), randn(rng, [3, 2], 'float32'), ...g], what: 'P shape' },
    { inputs: [randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float64'), randn(rng, [3, 2], 'float32'), ...g], what: 'P dtype' },
    { inputs: [randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), ...g], attrs: [2], what: 'variant 2' },
  ];
};

export const cases: OpCase[] = [
  {
    kernel: 'bpr_loss',
    dtypes: ['float32', 'float64'],
    // Row losses are identical (same body, same order); only the double sum of the rows differs
    // (the CPU sums in row order, the GPU/emu in blocks and a tree). On a GPU, exp/log1p are
    // CUDA's (a few ulps from glibc's) and FMA contraction changes the margins by ulps.
    tol: { float32: 1e-6, float64: 1e-13 },
    why: 'row losses summed in a different order (double)',
    samples: (rng, dtype) =>
      [0, 1].flatMap((variant) => [
        ...SHAPES.map((s) => ({ inputs: uvn(rng, s, dtype), attrs: [variant], what: `[${s}] variant ${variant}` })),
        { inputs: uvn(rng, [8, 16], dtype, 40), attrs: [variant], what: `large margins, variant ${variant}` },
        { inputs: uvn(rng, [0, 4], dtype), attrs: [variant], what: `empty batch gives NaN, variant ${variant}` },
      ]),
    bad: (rng) => bad(rng, 0),
  },
  {
    kernel: 'bpr_loss_backward',
    dtypes: ['float32', 'float64'],
    // The device sums each margin in a warp's lane order (the CPU: column order), so margins differ
    // by a few ulps; the derivative formulas are the CPU's.
    tol: { float32: 1e-6, float64: 1e-14 },
    why: 'margins summed in lane order; GPU math functions differ by ulps',
    samples: (rng, dtype) =>
      [0, 1].flatMap((variant) =>
        SHAPES.map((s) => ({ inputs: [...uvn(rng, s, dtype), tensor([0.7], [], { dtype })], attrs: [variant], what: `[${s}] variant ${variant}` })),
      ),
    bad: (rng) => [
      ...bad(rng, 1),
      { inputs: [randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [2], 'float32')], what: 'non-scalar g' },
    ],
  },
  {
    kernel: 'bpr_loss_backward',
    dtypes: ['float32', 'float64'],
    // Margins of |x| ≈ 200: a few ulps of lane-order rounding are ~3e-5 in float32, and variant 1's
    // derivative −σ(1 − σ)/(1e-10 + σ) turns from 0 to −1 around σ ≈ 1e-10 (x ≈ −23) with slope
    // up to 1/4, so those ulps reach the gradient almost unscaled.
    tol: { float32: 5e-5, float64: 1e-13 },
    why: 'large margins: lane-order rounding of |x| ≈ 200 through a steep derivative',
    samples: (rng, dtype) =>
      [0, 1].map((variant) => ({
        inputs: [...uvn(rng, [8, 16], dtype, 40), tensor([1], [], { dtype })],
        attrs: [variant],
        what: `large margins, variant ${variant}`,
      })),
  },
];
