import type { OpCase } from '../cases';
import { unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [unaryCase('sign', { float32: 0, float64: 0 }, 'a select of −1, 0, +1 or NaN: exact')];
