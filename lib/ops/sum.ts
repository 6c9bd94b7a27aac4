/**
 * sum: Σ over every element (→ scalar []), over rows (axis 0 → [cols]) or over columns (axis 1 →
 * [rows]) of a 2-D x. Deterministic double accumulation. Contract: native/ops/sum.cc.
 */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export type Axis = 0 | 1;

export function sum(x: Tensor, axis?: Axis): Tensor {
  const ax = axis ?? -1;
  const y = runOp1('sum', [x], [ax]);
  return record(y, 'sum', [x], (g) => [runOp1('sum_backward', [g, x], [ax])]);
}
