import type { OpCase } from '../cases';
import { reductionCases } from './sum';

// sum's shapes and axes; the empty means give NaN on both.
export const cases: OpCase[] = reductionCases('mean');
