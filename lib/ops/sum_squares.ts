/** sumSquares: Σ x² as a scalar (no ½). Contract: native/ops/sum_squares.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function sumSquares(x: Tensor): Tensor {
  const y = runOp1('sum_squares', [x]);
  return record(y, 'sum_squares', [x], (g) => [runOp1('sum_squares_backward', [x, g])]);
}
