/** scale: x·alpha + beta. Contract: native/ops/scale.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function scale(x: Tensor, alpha: number, beta = 0): Tensor {
  const out = runOp1('scale', [x], [alpha, beta]);
  return record(out, 'scale', [x], (g) => [runOp1('scale', [g], [alpha, 0])]);
}
