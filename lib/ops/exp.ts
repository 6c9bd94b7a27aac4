/** exp: eˣ, elementwise. Contract: native/ops/exp.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function exp(x: Tensor): Tensor {
  const y = runOp1('exp', [x]);
  return record(y, 'exp', [x], (g) => [runOp1('mul', [g, y])]);
}
