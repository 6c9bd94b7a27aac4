/** mean: the average over every element, axis 0 or axis 1 (see sum). Contract: native/ops/mean.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';
import type { Axis } from './sum';

export function mean(x: Tensor, axis?: Axis): Tensor {
  const ax = axis ?? -1;
  const y = runOp1('mean', [x], [ax]);
  return record(y, 'mean', [x], (g) => [runOp1('mean_backward', [g, x], [ax])]);
}
