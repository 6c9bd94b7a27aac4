/**
 * reshape: the same elements under a new shape (one dimension may be −1). Returns a copy, not a
 * view (see native/ops/reshape.cc for why).
 */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const y = runOp1('reshape', [x], shape);
  return record(y, 'reshape', [x], (g) => [runOp1('reshape', [g], x.shape)]);
}
