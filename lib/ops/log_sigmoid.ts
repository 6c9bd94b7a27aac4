/** logSigmoid: ln σ(x), computed stably. Contract: native/ops/log_sigmoid.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function logSigmoid(x: Tensor): Tensor {
  const y = runOp1('log_sigmoid', [x]);
  return record(y, 'log_sigmoid', [x], (g) => [runOp1('log_sigmoid_backward', [x, g])]);
}
