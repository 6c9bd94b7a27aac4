/** tanh, elementwise. Contract: native/ops/tanh.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function tanh(x: Tensor): Tensor {
  const y = runOp1('tanh', [x]);
  return record(y, 'tanh', [x], (g) => [runOp1('tanh_backward', [y, g])]);
}
