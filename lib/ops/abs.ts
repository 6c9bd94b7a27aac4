/** abs: |x| per element; the gradient at 0 is 0 (as PyTorch). Contract: native/ops/abs.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function abs(x: Tensor): Tensor {
  const y = runOp1('abs', [x]);
  return record(y, 'abs', [x], (g) => [runOp1('abs_backward', [x, g])]);
}
