import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

// [n, k, o]: one element, several 64 × 64 tiles with ragged edges, o over several 16-deep slices
// (and not a multiple of 16), an empty inner dimension, empty tables.
const SHAPES: number[][] = [[1, 1, 1], [5, 7, 3], [130, 70, 37], [64, 64, 16], [3, 200, 64], [9, 4, 0], [0, 5, 3], [4, 0, 2]];
const ATTRS: number[][] = [
  [1e-3, 0.9, 0.999, 1e-8, 0, 1],
  [1e-2, 0.9, 0.999, 1e-8, 0.01, 10],
  [0.1, 0.3, 0.5, 1e-6, 0, 3],
];

// param, dy, w, m, v (v ≥ 0, as the optimizer's state is).
function inputs(rng: Rng, [n, k, o]: number[], dtype: DType) {
  const v = randn(rng, [n, k], dtype).toArray().map((a) => a * a);
  return [randn(rng, [n, k], dtype), randn(rng, [n, o], dtype), randn(rng, [o, k], dtype), randn(rng, [n, k], dtype), tensor(v, [n, k], { dtype })];
}

function samples(rng: Rng, dtype: DType): Sample[] {
  return ATTRS.flatMap((attrs) => SHAPES.map((s) => ({ inputs: inputs(rng, s, dtype), attrs, what: `[n, k, o] = [${s}] attrs [${attrs}]` })));
}

export const cases: OpCase[] = [
  {
    kernel: 'linear_input_adam',
    dtypes: ['float32', 'float64'],
    // dX's o-term sums: the device's one FMA chain in ascending order against the CPU's gemm
    // (Eigen's kernel splits some sums and blocks long ones); the update itself is adam's, exactly.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'o-term dot products summed in a different order',
    inPlace: [0, 3, 4],
    samples,
    bad: (rng) => {
      const s = () => inputs(rng, [3, 4, 2], 'float32');
      const ok = [1e-3, 0.9, 0.999, 1e-8, 0, 1];
      const swap = (i: number, t: ReturnType<typeof randn>) => s().map((x, j) => (j === i ? t : x));
      return [
        { inputs: s().slice(0, 4), attrs: ok, what: 'four inputs' },
        { inputs: swap(2, randn(rng, [2, 4], 'float64')), attrs: ok, what: 'w dtype' },
        { inputs: swap(1, randn(rng, [4, 2], 'float32')), attrs: ok, what: 'dy rows' },
        { inputs: swap(2, randn(rng, [2, 5], 'float32')), attrs: ok, what: 'w columns' },
        { inputs: swap(4, randn(rng, [4, 3], 'float32')), attrs: ok, what: 'v shape' },
        { inputs: swap(0, randn(rng, [12], 'float32')), attrs: ok, what: '1-D param' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 0], what: 'step 0' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, -1, 0, 1], what: 'negative eps' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, 0], what: 'missing step' },
      ];
    },
  },
];
