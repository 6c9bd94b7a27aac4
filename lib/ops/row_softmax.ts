/** rowSoftmax: softmax over the last dimension, max-subtracted. Contract: native/ops/row_softmax.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function rowSoftmax(x: Tensor): Tensor {
  const y = runOp1('row_softmax', [x]);
  return record(y, 'row_softmax', [x], (g) => [runOp1('row_softmax_backward', [y, g])]);
}
