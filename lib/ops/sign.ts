/**
 * sign: −1, 0 or +1 per element (sign(0) = 0, NaN stays NaN). Contract: native/ops/sign.cc.
 * Not recorded on the tape: its derivative is 0 wherever it exists, so the result is a constant to
 * autograd (the same gradient PyTorch's sign gives, without a zeros tensor per step).
 */
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function sign(x: Tensor): Tensor {
  return runOp1('sign', [x]);
}
