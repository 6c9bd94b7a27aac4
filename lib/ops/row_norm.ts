/** rowNorm: ‖x[r, :]‖₂ per row → x's shape without its last dimension. Contract: native/ops/row_norm.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function rowNorm(x: Tensor): Tensor {
  const y = runOp1('row_norm', [x]);
  return record(y, 'row_norm', [x], (g) => [runOp1('row_norm_backward', [x, y, g])]);
}
