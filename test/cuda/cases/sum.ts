import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

// [shape, axis]: every element (any rank, 2 chunks and more, empty), over rows (1, 3 and the capped
// 64 row blocks of the column sums), over columns (one row, long rows, empty rows).
const FORWARD: Array<[number[], number]> = [
  [[1], -1], [[], -1], [[3, 4], -1], [[2, 3, 5], -1], [[2, 40000], -1], [[0, 5], -1],
  [[1, 7], 0], [[300, 5], 0], [[1000, 3], 0], [[20000, 2], 0], [[0, 4], 0], [[5, 0], 0],
  [[1, 300], 1], [[7, 1], 1], [[33, 257], 1], [[3, 40000], 1], [[4, 0], 1], [[0, 4], 1],
];

function forwardSamples(rng: Rng, dtype: DType): Sample[] {
  return [
    ...FORWARD.map(([s, axis]) => ({ inputs: [randn(rng, s, dtype)], attrs: [axis], what: `[${s}] axis ${axis}` })),
    { inputs: [randn(rng, [6, 9], dtype)], what: 'default axis (all)' },
  ];
}

function backwardSamples(rng: Rng, dtype: DType): Sample[] {
  const g = (axis: number, s: number[]) => (axis < 0 ? randn(rng, [], dtype) : randn(rng, [s[axis === 0 ? 1 : 0]], dtype));
  return FORWARD.map(([s, axis]) => ({ inputs: [g(axis, s), randn(rng, s, dtype)], attrs: [axis], what: `[${s}] axis ${axis}` }));
}

const forwardBad = (rng: Rng): Sample[] => [
  { inputs: [randn(rng, [2, 3], 'float32')], attrs: [2], what: 'axis 2' },
  { inputs: [randn(rng, [2, 3], 'float32')], attrs: [0.5], what: 'non-integer axis' },
  { inputs: [randn(rng, [2, 3, 4], 'float32')], attrs: [0], what: 'axis 0 of a 3-D x' },
  { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], attrs: [-1], what: 'int32 x' },
];

const backwardBad = (rng: Rng): Sample[] => [
  { inputs: [randn(rng, [4], 'float32'), randn(rng, [3, 4], 'float32')], attrs: [1], what: 'g of the wrong length' },
  { inputs: [randn(rng, [1, 4], 'float32'), randn(rng, [3, 4], 'float32')], attrs: [0], what: '2-D g' },
  { inputs: [randn(rng, [1], 'float32'), randn(rng, [3, 4], 'float32')], attrs: [-1], what: 'non-scalar g for axis -1' },
  { inputs: [randn(rng, [4], 'float32'), randn(rng, [3, 4], 'float64')], attrs: [0], what: 'mixed dtypes' },
  { inputs: [randn(rng, [3], 'float32'), randn(rng, [3], 'float32')], attrs: [1], what: 'axis 1 of a 1-D x' },
];

/** The sum and mean cases (mean.ts builds its own from these). */
export function reductionCases(name: 'sum' | 'mean'): OpCase[] {
  return [
    {
      kernel: name,
      dtypes: ['float32', 'float64'],
      // All in double. Axis 0: the CPU's own row blocks and order (identical). Axis −1 and 1: the
      // CPU adds 8 interleaved lanes per 32768-element chunk, the GPU/emu 256 strided partials and
      // a tree: the double sums differ by a few ulps, relative to a result that cancellation can
      // make much smaller than its terms; a float32 result flips by 1 ulp only on a rare tie.
      tol: { float32: 2e-7, float64: 1e-13 },
      why: 'double sums in another order (axis 0: same order)',
      samples: forwardSamples,
      bad: forwardBad,
    },
    {
      kernel: `${name}_backward`,
      dtypes: ['float32', 'float64'],
      tol: { float32: 0, float64: 0 },
      why: 'the same copy (or one double division) per element',
      samples: backwardSamples,
      bad: backwardBad,
    },
  ];
}

export const cases: OpCase[] = reductionCases('sum');
