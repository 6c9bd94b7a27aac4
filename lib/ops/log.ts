/**
 * log: ln x, elementwise. Like numpy, ln 0 = −inf and ln of a negative value is NaN (no error).
 * Contract: native/ops/log.cc.
 */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function log(x: Tensor): Tensor {
  const y = runOp1('log', [x]);
  return record(y, 'log', [x], (g) => [runOp1('log_backward', [x, g])]);
}
