/** mul: A ⊙ B; B has A's shape or is a row vector [cols] broadcast over rows. Contract: native/ops/mul.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function mul(a: Tensor, b: Tensor): Tensor {
  const out = runOp1('mul', [a, b]);
  return record(out, 'mul', [a, b], (g, needs) => [
    needs[0] ? runOp1('mul', [g, b]) : null,
    needs[1] ? runOp1('mul_backward', [g, a, b]) : null,
  ]);
}
