import type { OpCase } from '../cases';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  // Negative and NaN inputs give NaN, 0 gives −inf, on both (the NaN pattern must agree).
  unaryCase('log', { float32: 1e-6, float64: 1e-15 }, 'GPU log differs from glibc by a few ulps'),
  unaryBackwardCase('log_backward', { float32: 0, float64: 0 }, 'one IEEE division (correctly rounded on both): exact'),
];
