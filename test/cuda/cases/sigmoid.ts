import type { OpCase } from '../cases';
import { tensor } from '../../../lib/tensor';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  unaryCase('sigmoid', { float32: 1e-6, float64: 1e-15 }, 'same stable form; GPU exp differs from glibc by a few ulps', { scale: 10 }),
  unaryBackwardCase('sigmoid_backward', { float32: 0, float64: 0 }, 'g·y·(1 − y): two products and a difference, no FMA possible: exact', {
    first: (rng, s, dtype) => tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.uniform()), s, { dtype }),
  }),
];
