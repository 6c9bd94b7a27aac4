import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';

const SHAPES = [[1, 1], [1, 64], [7, 3], [129, 257], [0, 4], [4, 0]];
const SEEDS = [[0, 0], [123456789, 42], [4294967295, 4294967295]];

function zeroRows(dtype: DType): Sample {
  const x = [0, 0, 0, 1, 0, -2, 3, 4, 5, 0, 0, 0];
  return { inputs: [tensor(x, [4, 3], { dtype })], attrs: [0.2, 7, 0, 2], what: 'zero rows and entries, inverse' };
}

export const cases: OpCase[] = [
  {
    kernel: 'modulus_perturb',
    dtypes: ['float32', 'float64'],
    // The draws are integer hashes; norms are per-row double sums in column order and the element
    // update is not contracted, so 'ratio' is bit-identical. The other modes divide by the mean of
    // ‖e_r‖, a sum of n doubles in row order on the CPU and in a fixed tree on the device: k_r may
    // round differently in its last bit.
    tol: { float32: 2e-7, float64: 1e-15 },
    why: 'the mean of the row norms is summed in a different order (ratio mode: exact)',
    samples: (rng, dtype) => {
      const out: Sample[] = [];
      for (const s of SHAPES)
        for (const mode of [0, 1, 2])
          for (const seed of SEEDS) out.push({ inputs: [randn(rng, s, dtype)], attrs: [0.1, ...seed, mode], what: `[${s}] mode ${mode} seed [${seed}]` });
      out.push({ inputs: [randn(rng, [5, 4], dtype)], attrs: [0.3, 1, 0], what: 'mode omitted (ratio)' });
      out.push(zeroRows(dtype));
      out.push({ inputs: [tensor(new Array(6).fill(0), [2, 3], { dtype })], attrs: [0.2, 7, 0, 1], what: 'all zero, mean_scaled' });
      return out;
    },
    bad: (rng) => {
      const x = randn(rng, [3, 2], 'float32');
      return [
        { inputs: [x], attrs: [-0.1, 1, 0, 0], what: 'negative eps' },
        { inputs: [x], attrs: [Infinity, 1, 0, 0], what: 'eps inf' },
        { inputs: [x], attrs: [0.1, -1, 0, 0], what: 'negative seed_lo' },
        { inputs: [x], attrs: [0.1, 0, 4294967296, 0], what: 'seed_hi = 2^32' },
        { inputs: [x], attrs: [0.1, 1, 0, 3], what: 'mode 3' },
        { inputs: [x], attrs: [0.1, 1], what: 'no seed_hi' },
        { inputs: [randn(rng, [6], 'float32')], attrs: [0.1, 1, 0, 0], what: '1-D E' },
        { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' })], attrs: [0.1, 1, 0, 0], what: 'int32 E' },
        { inputs: [x, x], attrs: [0.1, 1, 0, 0], what: 'two inputs' },
      ];
    },
  },
];
