/** linear: x·Wᵀ + b (b optional). Contract: native/ops/linear.cc. */
import { deferLinearInputGrad } from '../autograd/deferred';
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  const y = runOp1('linear', [x, w, b]);
  const inputs = b ? [x, w, b] : [x, w];
  return record(y, 'linear', inputs, (g, needs) => [
    // dx = g·W; for a feature table (a leaf marked deferGrad) left unformed for Adam to fuse.
    needs[0] ? (x.deferGrad && !x.gradNode ? deferLinearInputGrad(g, w) : runOp1('matmul', [g, w], [0, 0])) : null,
    needs[1] ? runOp1('matmul', [g, x], [1, 0]) : null, // dW = gᵀ·x
    needs[2] ? runOp1('sum', [g], [0]) : null, // db = Σ_rows g
  ]);
}
