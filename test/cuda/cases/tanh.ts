import type { OpCase } from '../cases';
import { tensor } from '../../../lib/tensor';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  unaryCase('tanh', { float32: 1e-6, float64: 1e-15 }, 'GPU tanh differs from glibc by a few ulps'),
  // An FMA changes 1 − y·y by up to half an ulp of y² (≈ 2⁻⁵⁴ absolute in float64), which is
  // relatively large where 1 − y² cancels: random y are drawn from (−0.9, 0.9), so the relative
  // change stays below ~3 ulp even for a one-element tensor (the special values include ±1).
  unaryBackwardCase('tanh_backward', { float32: 1e-6, float64: 1e-15 }, 'a GPU may contract 1 − y·y into an FMA (one rounding fewer)', {
    first: (rng, s, dtype) => tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => 1.8 * rng.uniform() - 0.9), s, { dtype }),
  }),
];
