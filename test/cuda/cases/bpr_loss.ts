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
    tol: { float32: 1e-6, float64: 1e-14 },
    why: 'same row body; GPU math functions and FMA differ by ulps',
    samples: (rng, dtype) =>
      [0, 1].flatMap((variant) => [
        ...SHAPES.map((s) => ({ inputs: [...uvn(rng, s, dtype), tensor([0.7], [], { dtype })], attrs: [variant], what: `[${s}] variant ${variant}` })),
        { inputs: [...uvn(rng, [8, 16], dtype, 40), tensor([1], [], { dtype })], attrs: [variant], what: `large margins, variant ${variant}` },
      ]),
    bad: (rng) => [
      ...bad(rng, 1),
      { inputs: [randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [3, 2], 'float32'), randn(rng, [2], 'float32')], what: 'non-scalar g' },
    ],
  },
];
