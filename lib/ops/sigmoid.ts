/** sigmoid, elementwise. Contract: native/ops/sigmoid.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function sigmoid(x: Tensor): Tensor {
  const y = runOp1('sigmoid', [x]);
  return record(y, 'sigmoid', [x], (g) => [runOp1('sigmoid_backward', [y, g])]);
}
