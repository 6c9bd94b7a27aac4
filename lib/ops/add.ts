/** add: A + alpha·B (same shape). Contract: native/ops/add.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function add(a: Tensor, b: Tensor, alpha = 1): Tensor {
  const out = runOp1('add', [a, b], [alpha]);
  return record(out, 'add', [a, b], (g, needs) => [
    needs[0] ? g : null,
    needs[1] ? (alpha === 1 ? g : runOp1('add', [g, g], [alpha - 1])) : null,
  ]);
}

/** a − b */
export function sub(a: Tensor, b: Tensor): Tensor {
  return add(a, b, -1);
}
