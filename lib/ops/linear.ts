/** linear: x·Wᵀ + b (b optional). Contract: native/ops/linear.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  const y = runOp1('linear', [x, w, b]);
  const inputs = b ? [x, w, b] : [x, w];
  return record(y, 'linear', inputs, (g, needs) => [
    needs[0] ? runOp1('matmul', [g, w], [0, 0]) : null, // dx = g·W
    needs[1] ? runOp1('matmul', [g, x], [1, 0]) : null, // dW = gᵀ·x
    needs[2] ? runOp1('sum', [g], [0]) : null, // db = Σ_rows g
  ]);
}
