/**
 * add: A + alpha·B, and sub: A − B. B has A's shape or is a row vector [cols] broadcast over A's
 * rows. Contract: native/ops/add.cc.
 */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function add(a: Tensor, b: Tensor, alpha = 1): Tensor {
  const out = runOp1('add', [a, b], [alpha]);
  return record(out, 'add', [a, b], (g, needs) => [
    needs[0] ? g : null,
    // add_backward sums over rows when B was broadcast, and scales by alpha.
    needs[1] ? (alpha === 1 && sameShape(a, b) ? g : runOp1('add_backward', [g, b], [alpha])) : null,
  ]);
}

/** a − b (same broadcasting as add). */
export function sub(a: Tensor, b: Tensor): Tensor {
  return add(a, b, -1);
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}
