import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES = [[7], [1, 1], [3, 4], [1, 300], [129, 257], [2, 40000], [2, 3, 5], [0, 5], [4, 0]];

function withZeroRow(rng: Rng, dtype: DType) {
  const v = randn(rng, [4, 6], dtype).toArray();
  for (let j = 6; j < 12; j++) v[j] = 0;
  return tensor(v, [4, 6], { dtype });
}

function samples(rng: Rng, dtype: DType, backward: boolean): Sample[] {
  const g = (s: number[]) => (backward ? [randn(rng, s, dtype)] : []);
  return [
    ...SHAPES.map((s) => ({ inputs: [randn(rng, s, dtype), ...g(s)], what: `[${s}] default eps` })),
    { inputs: [withZeroRow(rng, dtype), ...g([4, 6])], what: 'a zero row (divides by eps)' },
    { inputs: [randn(rng, [50, 4], dtype), ...g([50, 4])], attrs: [2], what: 'eps 2: some rows shorter than eps' },
    { inputs: [randn(rng, [6, 3], dtype), ...g([6, 3])], attrs: [0], what: 'eps 0' },
  ];
}

const bad = (rng: Rng, backward: boolean): Sample[] => {
  const g = (dt: DType = 'float32') => (backward ? [randn(rng, [2, 3], dt)] : []);
  return [
    { inputs: [randn(rng, [2, 3], 'float32'), ...g()], attrs: [-1], what: 'eps -1' },
    { inputs: [randn(rng, [2, 3], 'float32'), ...g()], attrs: [Infinity], what: 'eps inf' },
    { inputs: [randn(rng, [2, 3], 'float32'), ...g()], attrs: [NaN], what: 'eps NaN' },
    { inputs: [randn(rng, [], 'float32'), ...(backward ? [randn(rng, [], 'float32')] : [])], what: 'scalar x' },
    ...(backward
      ? [
          { inputs: [randn(rng, [2, 3], 'float32'), randn(rng, [3, 2], 'float32')], what: 'g shape differs' },
          { inputs: [randn(rng, [2, 3], 'float32'), ...g('float64')], what: 'mixed dtypes' },
        ]
      : [{ inputs: [tensor([1, 2], [2], { dtype: 'int32' })], what: 'int32 x' }]),
  ];
};

export const cases: OpCase[] = [
  {
    kernel: 'row_normalize',
    dtypes: ['float32', 'float64'],
    // The scale T(1/max(‖x‖, eps)) comes from a double row sum in another order (CPU: 8 lanes;
    // GPU/emu: 256 strided partials and a tree); a float32 scale flips by 1 ulp on a rare tie.
    tol: { float32: 2e-7, float64: 1e-14 },
    why: 'double row norms in another order',
    samples: (rng, dtype) => samples(rng, dtype, false),
    bad: (rng) => bad(rng, false),
  },
  {
    kernel: 'row_normalize_backward',
    dtypes: ['float32', 'float64'],
    // The coefficients a, b come from two double row sums in another order; g·a − x·b then
    // cancels, so a 1-ulp flip of b shows relative to the largest |dx| at a few 1e-7.
    tol: { float32: 1e-6, float64: 1e-14 },
    why: 'double row sums in another order, then g·a − x·b',
    samples: (rng, dtype) => samples(rng, dtype, true),
    bad: (rng) => bad(rng, true),
  },
];
