import type { OpCase } from '../cases';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  // Same stable form min(x, 0) − log1p(e^(−|x|)); no cancellation, so only the math functions'
  // ulps differ on a GPU (exp ≤ 2 ulp, log1p ≤ 1 ulp in float32).
  unaryCase('log_sigmoid', { float32: 1e-6, float64: 1e-15 }, 'GPU exp/log1p differ from glibc by a few ulps', { scale: 10 }),
  unaryBackwardCase('log_sigmoid_backward', { float32: 1e-6, float64: 1e-15 }, 'GPU exp differs from glibc by a few ulps', { scale: 10 }),
];
