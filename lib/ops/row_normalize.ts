/** rowNormalize: x / max(‖x‖₂, eps) per row, as torch F.normalize(x, dim=-1). Contract: native/ops/row_normalize.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function rowNormalize(x: Tensor, eps = 1e-12): Tensor {
  const y = runOp1('row_normalize', [x], [eps]);
  return record(y, 'row_normalize', [x], (g) => [runOp1('row_normalize_backward', [x, g], [eps])]);
}
