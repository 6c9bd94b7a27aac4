import type { OpCase } from '../cases';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  unaryCase('abs', { float32: 0, float64: 0 }, 'clears the sign bit: exact'),
  unaryBackwardCase('abs_backward', { float32: 0, float64: 0 }, 'selects g, −g or 0 (NaN x passes through): exact'),
];
