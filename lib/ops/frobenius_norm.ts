/** frobeniusNorm: ‖X‖_F as a scalar tensor. Contract: native/ops/frobenius_norm.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function frobeniusNorm(x: Tensor): Tensor {
  const y = runOp1('frobenius_norm', [x]);
  return record(y, 'frobenius_norm', [x], (g) => [runOp1('frobenius_norm_backward', [x, y, g])]);
}
